/**
 * The connection to the cluster: the kubeconfig read with client-node's parts (kubeconfig.ts: real
 * kubeconfigs, exec credential plugins, client certificates), loaded only when a run deploys to
 * Kubernetes, and the requests of requests.ts sent over one pool of kept-alive connections. Every
 * failure becomes a KubeError: one line naming the context, namespace, resource and verb, never a
 * stack trace, a token or the kubeconfig.
 */
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import type { Credentials, Kubeconfig } from './kubeconfig';
import { urlPath, watchEvents, type KubeRequest, type WatchEvent } from './requests';

export class KubeError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'KubeError';
  }
}

export interface ConnectOptions {
  /** kubeconfig contents (already decoded); unset: the runner's KUBECONFIG, else ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface Kube {
  context: string;
  namespace: string;
  server: string;
  user: string;
  /** Sends one request (JSON in and out; text for `text` requests); a failure becomes a KubeError saying what was being done. */
  send<T>(what: string, request: KubeRequest): Promise<T>;
  /**
   * Follows a watch, giving each event to `onEvent` until it answers true ('done'), or the server
   * ends the watch or `signal` aborts it ('ended'). A failure becomes a KubeError.
   */
  watch(
    what: string,
    request: KubeRequest,
    onEvent: (e: WatchEvent) => boolean,
    signal?: AbortSignal,
  ): Promise<'done' | 'ended'>;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** Where the kubeconfig is looked for: KUBECONFIG's files, ~/.kube/config, or in-cluster. */
export function kubeconfigFileExists(env: NodeJS.ProcessEnv): boolean {
  const files = env.KUBECONFIG ? env.KUBECONFIG.split(path.delimiter).filter(Boolean) : [];
  if (files.length) return files.some((f) => fs.existsSync(f));
  return (
    fs.existsSync(path.join(env.HOME ?? os.homedir(), '.kube', 'config')) || !!env.KUBERNETES_SERVICE_HOST
  );
}

let loading: Promise<typeof import('./kubeconfig')> | undefined;

/** Starts loading the kubeconfig code (client-node's parts) without waiting; connect() finishes the job. */
export function preloadClient(): void {
  loading ??= import('./kubeconfig');
  loading.catch(() => undefined);
}

/** An error answer: the status and the API's Status body. */
export class ApiFailure extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`HTTP ${code}`);
  }
}

export async function connect(o: ConnectOptions): Promise<Kube> {
  if (!o.kubeconfig && !kubeconfigFileExists(process.env))
    throw new KubeError(
      'no kubeconfig: set the kubeconfig input (its YAML or base64, from a secret), or set KUBECONFIG on the runner (azure/k8s-set-context does)',
    );
  const k = await (loading ??= import('./kubeconfig'));
  let kc: Kubeconfig;
  try {
    kc = o.kubeconfig ? k.parseKubeconfig(o.kubeconfig) : k.loadDefaultKubeconfig(process.env);
  } catch (err) {
    // The parser's message may quote the file: name the source, not its contents.
    throw new KubeError(
      `the kubeconfig${o.kubeconfig ? ' input' : ` file (${process.env.KUBECONFIG ?? '~/.kube/config'})`} could not be read as a kubeconfig (${(err as Error).name}); give the file's YAML (or its base64)`,
    );
  }
  const contexts = kc.contexts.map((c) => c.name);
  if (o.context && !contexts.includes(o.context))
    throw new KubeError(
      `kube-context "${o.context}" is not in the kubeconfig (it has: ${contexts.join(', ') || 'no contexts'}); set kube-context to one of them`,
    );
  const context = o.context ?? kc.currentContext ?? '';
  const ctx = kc.contexts.find((c) => c.name === context);
  const cluster = ctx && kc.clusters.find((c) => c.name === ctx.cluster);
  if (!ctx || !cluster)
    throw new KubeError(
      `the kubeconfig has no usable current context (contexts: ${contexts.join(', ') || 'none'}); set kube-context`,
    );
  const namespace = o.namespace ?? ctx.namespace ?? 'default';
  const server = cluster.server;
  const user = kc.users.find((u) => u.name === ctx.user);
  const where = { context, server };
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw new KubeError(
      `the kubeconfig's server for context ${context} is not a URL; set it to https://<host>:<port>`,
    );
  }
  if (base.protocol === 'http:' && !cluster.skipTLSVerify)
    throw new KubeError(
      `the kubeconfig's server for context ${context} is plain http (${server}): use https, or set insecure-skip-tls-verify to allow it`,
    );
  const auth = k.authenticators();
  const plain = base.protocol === 'http:';
  const pool = connectionPool(
    cluster.proxyUrl ? await proxyAgents(cluster.proxyUrl, plain) : directAgents(plain),
  );
  const prefix = base.pathname.replace(/\/+$/, '');

  // Requests sent at once share one answer: an exec plugin (aws eks get-token…) runs once for the
  // preflight's seven requests, not seven times side by side; the authenticators cache it after.
  let asking: Promise<Credentials> | undefined;
  const credentials = (): Promise<Credentials> => {
    if (!user) return Promise.resolve({ headers: {} });
    asking ??= k.credentialsFor(cluster, user, auth).finally(() => {
      asking = undefined;
    });
    return asking;
  };

  const send = async <T>(what: string, r: KubeRequest): Promise<T> => {
    try {
      const creds = await credentials();
      const text = await exchange(base, `${prefix}${urlPath(r)}`, r, creds, pool);
      return (r.text ? text : JSON.parse(text)) as T;
    } catch (err) {
      throw explain(err, what, where);
    }
  };
  const watch = async (
    what: string,
    r: KubeRequest,
    onEvent: (e: WatchEvent) => boolean,
    signal?: AbortSignal,
  ): Promise<'done' | 'ended'> => {
    try {
      const creds = await credentials();
      return await follow(base, `${prefix}${urlPath(r)}`, creds, pool, onEvent, signal);
    } catch (err) {
      throw explain(err, what, where);
    }
  };
  return { context, namespace, server, user: user?.name ?? ctx.user, send, watch };
}

/** Makes the agent that opens connections to the API server. */
type MakeAgent = (options: https.AgentOptions) => http.Agent;

const directAgents =
  (plain: boolean): MakeAgent =>
  (o) =>
    plain ? new http.Agent(o) : new https.Agent(o);

/**
 * A kubeconfig's proxy-url, as client-node's createAgent reads it: socks…:// through a SOCKS
 * proxy, anything else an HTTP CONNECT tunnel (both the client's own dependencies, loaded only
 * for such a kubeconfig).
 */
async function proxyAgents(proxyUrl: string, plain: boolean): Promise<MakeAgent> {
  if (proxyUrl.startsWith('socks')) {
    const { SocksProxyAgent } = await import('socks-proxy-agent');
    return (o) => new SocksProxyAgent(proxyUrl, o);
  }
  const { HttpProxyAgent, HttpsProxyAgent } = await import('hpagent');
  return (o) =>
    plain ? new HttpProxyAgent({ ...o, proxy: proxyUrl }) : new HttpsProxyAgent({ ...o, proxy: proxyUrl });
}

interface Pool {
  /** The agent for these TLS settings: the same one (and its open connections) while they stay the same. */
  agentFor(c: Credentials): http.Agent;
}

/** The TLS settings an agent is made from; requests share connections while all of them are equal. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'rejectUnauthorized', 'servername'] as const;

/**
 * One kept-alive agent: each request reuses an open connection (no new TCP connection and TLS
 * handshake, ~7 ms a request on loopback and a round trip or more to a remote cluster), with one
 * TLS context parsed once. Made again only when the TLS material changes (an exec plugin's
 * rotated client certificate).
 */
function connectionPool(make: MakeAgent): Pool {
  let shared: { agent: http.Agent; creds: Credentials } | undefined;
  return {
    agentFor(c) {
      if (shared && TLS_FIELDS.every((f) => sameValue(shared?.creds[f], c[f]))) return shared.agent;
      shared?.agent.destroy();
      const agent = make({
        keepAlive: true,
        secureContext: tls.createSecureContext({ ca: c.ca, cert: c.cert, key: c.key }),
        rejectUnauthorized: c.rejectUnauthorized,
        servername: c.servername,
      });
      shared = { agent, creds: c };
      return agent;
    },
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}

/** One request and its whole answer; an error status rejects with ApiFailure. */
function exchange(
  base: URL,
  pathAndQuery: string,
  r: KubeRequest,
  c: Credentials,
  pool: Pool,
): Promise<string> {
  const body = r.body === undefined ? undefined : JSON.stringify(r.body);
  const headers: Record<string, string | number> = {
    Accept: r.text ? '*/*' : 'application/json',
    ...c.headers,
  };
  if (body !== undefined) {
    headers['Content-Type'] = r.contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(body);
  }
  const lib = base.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: base.port || (base.protocol === 'http:' ? 80 : 443),
        path: pathAndQuery,
        method: r.method,
        headers,
        agent: pool.agentFor(c),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = res.statusCode ?? 0;
          if (code >= 200 && code < 300) resolve(text);
          else reject(new ApiFailure(code, text));
        });
      },
    );
    // A server that never answers would hang the run.
    req.setTimeout(REQUEST_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000}s`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A watch's answer as it streams: each complete line is an event. Given up (the request destroyed)
 * when `onEvent` has what it waited for, or on `signal`; an error status rejects with ApiFailure.
 * No idle timeout: a rollout may go quiet for minutes; the server ends the watch at the
 * request's timeoutSeconds.
 */
function follow(
  base: URL,
  pathAndQuery: string,
  c: Credentials,
  pool: Pool,
  onEvent: (e: WatchEvent) => boolean,
  signal: AbortSignal | undefined,
): Promise<'done' | 'ended'> {
  const lib = base.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (how: 'done' | 'ended'): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      req.destroy();
      resolve(how);
    };
    const abort = (): void => finish('ended');
    const req = lib.request(
      {
        host: base.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: base.port || (base.protocol === 'http:' ? 80 : 443),
        path: pathAndQuery,
        method: 'GET',
        headers: { Accept: 'application/json', ...c.headers },
        agent: pool.agentFor(c),
      },
      (res) => {
        const code = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let pending = '';
        res.on('data', (d: Buffer) => {
          if (code < 200 || code >= 300) return void chunks.push(d);
          try {
            const { events, rest } = watchEvents(pending + d.toString('utf8'));
            pending = rest;
            if (events.some((e) => onEvent(e))) finish('done');
          } catch (err) {
            settled = true;
            req.destroy();
            reject(err as Error);
          }
        });
        res.on('error', (err) => {
          if (!settled) {
            settled = true;
            reject(err);
          }
        });
        res.on('end', () => {
          if (code >= 200 && code < 300) return finish('ended');
          if (settled) return;
          settled = true;
          reject(new ApiFailure(code, Buffer.concat(chunks).toString('utf8')));
        });
      },
    );
    req.on('error', (err) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    });
    if (signal?.aborted) return finish('ended');
    signal?.addEventListener('abort', abort, { once: true });
    req.end();
  });
}

/** One line for any failed call: the API's own status message, or why the server did not answer. */
export function explain(err: unknown, what: string, where: { context: string; server: string }): KubeError {
  if (err instanceof KubeError) return err;
  if (err instanceof ApiFailure) {
    const message = statusMessage(err.body);
    if (err.code === 401)
      return new KubeError(
        `the API server at ${where.server} (context ${where.context}) refused the credentials (401 Unauthorized) while trying to ${what}: renew the token or certificate in the kubeconfig`,
        401,
      );
    return new KubeError(`could not ${what}: ${message ?? `HTTP ${err.code}`}`, err.code);
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new KubeError(
    `the Kubernetes API at ${where.server} (context ${where.context}) did not answer while trying to ${what}: ${reason}. Check the kubeconfig's server address and that the cluster is reachable from this runner`,
  );
}

function statusMessage(body: string): string | undefined {
  let b: unknown;
  try {
    b = JSON.parse(body);
  } catch {
    return body.slice(0, 300) || undefined;
  }
  const m = (b as { message?: unknown } | null)?.message;
  return typeof m === 'string' ? m : undefined;
}

export const isNotFound = (err: unknown): boolean => err instanceof KubeError && err.status === 404;
export const isConflict = (err: unknown): boolean => err instanceof KubeError && err.status === 409;
