/**
 * A BuildKit session: the channel through which the engine's builder asks the client for what it
 * must not keep, build secrets and registry credentials. The client opens `POST /session`, the
 * connection is upgraded to HTTP/2 without TLS, and the client *serves* gRPC on it. The engine
 * only calls methods announced in `X-Docker-Expose-Session-Grpc-Method` headers, and it checks
 * the session's health every second: without a Health service it drops the session mid-build
 * (seen here as "no active session" or "transport is closing" on builds longer than a second),
 * which is why dockerode's own session (Auth only) is not used.
 */
import crypto from 'node:crypto';
import type { Duplex } from 'node:stream';
import * as grpc from '@grpc/grpc-js';
import type Docker from 'dockerode';
import type protobuf from 'protobufjs';
import {
  CredentialsRequest,
  CredentialsResponse,
  GetSecretRequest,
  GetSecretResponse,
  HealthCheckRequest,
  HealthCheckResponse,
} from './buildkit-proto';
import type { RegistryAuth } from './registry-auth';

const HEALTH = '/grpc.health.v1.Health/Check';
const GET_SECRET = '/moby.buildkit.secrets.v1.Secrets/GetSecret';
const CREDENTIALS = '/moby.filesync.v1.Auth/Credentials';

export interface Session {
  id: string;
  /** Secret ids the build asked for that build-secrets does not define. */
  missingSecrets: Set<string>;
  close(): void;
}

export class SessionUnsupportedError extends Error {}

/**
 * Loads the gRPC server code ahead of the session. In the bundle it loads on first use (src/lazy/),
 * ~15-20 ms of CPU that would otherwise sit between the session request and the build request;
 * called while the build's registry questions are in flight, it runs when the CPU is idle.
 */
export function warmSession(): boolean {
  return typeof grpc.Server === 'function';
}

/** The headers of `POST /session`: one Grpc-Method header per method this client serves. */
export function sessionHeaders(id: string, withSecrets: boolean): Record<string, string | string[]> {
  return {
    Upgrade: 'h2c',
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': 'safe-deploy',
    'X-Docker-Expose-Session-Sharedkey': '',
    'X-Docker-Expose-Session-Grpc-Method': [HEALTH, CREDENTIALS, ...(withSecrets ? [GET_SECRET] : [])],
  };
}

/** The answer to the builder's Credentials request: ours for our registry, anonymous elsewhere. */
export function credentialsFor(
  host: string,
  auth: RegistryAuth | undefined,
): { Username: string; Secret: string } {
  const hub = ['docker.io', 'registry-1.docker.io', 'index.docker.io'];
  const same =
    auth && (host === auth.serveraddress || (hub.includes(host) && hub.includes(auth.serveraddress)));
  if (!same) return { Username: '', Secret: '' };
  if (auth.identitytoken) return { Username: '', Secret: auth.identitytoken };
  return { Username: auth.username ?? '', Secret: auth.password ?? '' };
}

function unary<Req, Res>(
  path: string,
  req: protobuf.Type,
  res: protobuf.Type,
): grpc.MethodDefinition<Req, Res> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (v: Req) => Buffer.from(req.encode(req.fromObject(v as object)).finish()),
    requestDeserialize: (b: Buffer) => req.toObject(req.decode(b), { defaults: true }) as Req,
    responseSerialize: (v: Res) => Buffer.from(res.encode(res.fromObject(v as object)).finish()),
    responseDeserialize: (b: Buffer) => res.toObject(res.decode(b), { defaults: true }) as Res,
  };
}

/**
 * Opens a session serving Health, Auth.Credentials and (when secrets are given) Secrets.GetSecret.
 * Rejects with SessionUnsupportedError when the engine has no session endpoint (API < 1.39).
 */
export async function openSession(
  docker: Docker,
  secrets: Map<string, string>,
  auth: RegistryAuth | undefined,
): Promise<Session> {
  const id = crypto.randomUUID();
  const socket = await new Promise<Duplex>((resolve, reject) => {
    docker.modem.dial(
      {
        method: 'POST',
        path: '/session',
        hijack: true,
        headers: sessionHeaders(id, secrets.size > 0),
        statusCodes: {
          101: true,
          200: true,
          400: 'bad parameter',
          404: 'no such endpoint',
          500: 'server error',
        },
      },
      (err, sock) => {
        if (!err) return resolve(sock as Duplex);
        reject(
          (err as { statusCode?: number }).statusCode === 400 ||
            (err as { statusCode?: number }).statusCode === 404
            ? new SessionUnsupportedError(`the engine refused a BuildKit session (${err.message.trim()})`)
            : err,
        );
      },
    );
  });

  const missingSecrets = new Set<string>();
  const server = new grpc.Server();
  server.addService(
    { Check: unary<object, { status: number }>(HEALTH, HealthCheckRequest, HealthCheckResponse) },
    { Check: (_call: unknown, cb: grpc.sendUnaryData<{ status: number }>) => cb(null, { status: 1 }) },
  );
  server.addService(
    {
      Credentials: unary<{ Host: string }, { Username: string; Secret: string }>(
        CREDENTIALS,
        CredentialsRequest,
        CredentialsResponse,
      ),
    },
    {
      Credentials: (
        call: grpc.ServerUnaryCall<{ Host: string }, unknown>,
        cb: grpc.sendUnaryData<{ Username: string; Secret: string }>,
      ) => cb(null, credentialsFor(call.request.Host, auth)),
    },
  );
  server.addService(
    { GetSecret: unary<{ ID: string }, { data: Buffer }>(GET_SECRET, GetSecretRequest, GetSecretResponse) },
    {
      GetSecret: (
        call: grpc.ServerUnaryCall<{ ID: string }, unknown>,
        cb: grpc.sendUnaryData<{ data: Buffer }>,
      ) => {
        const value = secrets.get(call.request.ID);
        if (value !== undefined) return cb(null, { data: Buffer.from(value) });
        missingSecrets.add(call.request.ID);
        // BuildKit reads NotFound as "no such secret": fatal for required mounts, an empty mount otherwise.
        cb({ code: grpc.status.NOT_FOUND, details: `secret ${call.request.ID} not found` });
      },
    },
  );
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket);

  let closed = false;
  return {
    id,
    missingSecrets,
    // Idempotent: the build closes its session, and so does whoever opened it, once the build is over.
    close: () => {
      if (closed) return;
      closed = true;
      // The socket first: bytes the engine sends after the gRPC server's HTTP/2 session is torn
      // down would reach Node's http2 internals with no handle and crash the process (seen here).
      socket.destroy();
      server.forceShutdown();
    },
  };
}
