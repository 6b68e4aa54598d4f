import zlib from 'node:zlib';
import type Docker from 'dockerode';
import tar from 'tar-fs';
import { decodeStatus } from './buildkit-proto';
import { BuildProgress, type ProgressReport } from './progress';
import { openSession, SessionUnsupportedError, type Session } from './session';
import type { RegistryAuth } from './registry-auth';

/** One line of the engine's JSON progress stream (build or push). */
export interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  /** An object on classic and push streams; base64 protobuf on BuildKit trace records. */
  aux?: { ID?: string; Digest?: string; Tag?: string } | string;
  progressDetail?: { current?: number };
  id?: string;
}

export class DockerStreamError extends Error {
  constructor(
    message: string,
    readonly lastLines: string[],
  ) {
    super(message);
  }
}

/**
 * Follows a progress stream to its end. The engine reports build and push errors in-band, inside
 * the stream, while the HTTP call itself succeeded: those become a DockerStreamError carrying the
 * last lines, so the user sees Docker's own words.
 */
async function follow(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onLine: (line: string) => void,
  /** Turns a record into log lines itself (BuildKit traces); undefined: the default handling. */
  translate?: (event: ProgressEvent) => string[] | undefined,
): Promise<{ events: ProgressEvent[]; lastLines: string[] }> {
  const lastLines: string[] = [];
  const events: ProgressEvent[] = [];
  let inBandError: string | undefined;
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (event: ProgressEvent) => {
        events.push(event);
        if (event.error || event.errorDetail) inBandError = event.errorDetail?.message ?? event.error;
        const translated = translate?.(event);
        if (translated) {
          for (const line of translated) {
            onLine(line);
            lastLines.push(line);
            if (lastLines.length > 20) lastLines.shift();
          }
          return;
        }
        // Byte-count updates ("Pushing 3.1MB/8MB") would drown the log; the final status lines say enough.
        if (event.progressDetail?.current !== undefined) return;
        const status =
          event.status && event.id && !event.status.includes(event.id)
            ? `${event.id}: ${event.status}`
            : event.status;
        const text = (event.stream ?? status ?? '').replace(/\n+$/, '');
        for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
          onLine(line);
          lastLines.push(line);
          if (lastLines.length > 20) lastLines.shift();
        }
      },
    );
  });
  if (inBandError) throw new DockerStreamError(inBandError.trim(), lastLines);
  return { events, lastLines };
}

export interface BuildRequest {
  contextDir: string;
  files: string[];
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  target?: string;
  labels: Record<string, string>;
  auth?: RegistryAuth;
  /** build-secrets: id → value, served through the BuildKit session, never sent in the request. */
  secrets: Map<string, string>;
  /** Existing image refs to import BuildKit cache from. */
  cacheFrom: string[];
  /** Write inline cache metadata into the image, so later builds can use it as cache-from. */
  inlineCache: boolean;
}

/** Which builder runs the build: BuildKit over a session, or the classic builder (and why). */
export type Builder =
  { kind: 'buildkit'; session: string; networkMode?: string } | { kind: 'classic'; reason: string };

/**
 * The query of `POST /build`. Secrets are not in it (the builder fetches them over the session);
 * cache-from is BuildKit-only here: the classic builder only uses refs already pulled locally.
 */
export function buildQuery(req: BuildRequest, builder: Builder): Record<string, string | boolean> {
  const buildArgs =
    builder.kind === 'buildkit' && req.inlineCache
      ? { ...req.buildArgs, BUILDKIT_INLINE_CACHE: '1' }
      : req.buildArgs;
  const q: Record<string, string | boolean> = {
    t: req.tag,
    dockerfile: req.dockerfile,
    buildargs: JSON.stringify(buildArgs),
    labels: JSON.stringify(req.labels),
    rm: true,
    forcerm: true,
  };
  if (req.target) q.target = req.target;
  if (builder.kind === 'classic') return { ...q, version: '1' };
  q.version = '2';
  q.session = builder.session;
  if (builder.networkMode) q.networkmode = builder.networkMode;
  if (req.cacheFrom.length > 0) q.cachefrom = JSON.stringify(req.cacheFrom);
  return q;
}

/** API versions as numbers for comparison: "1.41" → 1.41, "v1.38" → 1.38. */
function apiNumber(v: string | undefined): number | undefined {
  const m = /^v?(\d+)\.(\d+)$/.exec(v ?? '');
  return m ? Number(m[1]) + Number(m[2]) / 1000 : undefined;
}

/**
 * Why this engine cannot build with BuildKit through its API, or undefined when it can:
 * BuildKit sessions arrived with API 1.39 (Docker 18.09); Windows engines have no BuildKit.
 * `pinned` is the API version this client was told to speak (DOCKER_API_VERSION), if any.
 */
export function classicReason(
  server: { ApiVersion?: string; Os?: string },
  pinned?: string,
): string | undefined {
  if (server.Os === 'windows') return 'Windows engines have no BuildKit';
  const versions = [apiNumber(server.ApiVersion), apiNumber(pinned)].filter(
    (v): v is number => v !== undefined,
  );
  const api = Math.min(...versions);
  if (versions.length > 0 && api < 1.039) {
    const shown = [server.ApiVersion, pinned].find((v) => apiNumber(v) === api)?.replace(/^v/, '');
    return `the engine API in use is ${shown}; BuildKit builds need 1.39 or later (Docker 18.09+)`;
  }
  return undefined;
}

export interface BuildOutcome {
  id: string;
  builder: 'buildkit' | 'classic';
  /** Set when BuildKit was wanted and the classic builder ran instead. */
  fallbackReason?: string;
  progress?: ProgressReport;
  /** Secret ids the Dockerfile asked for that were not given. */
  missingSecrets: string[];
}

export class BuildError extends DockerStreamError {
  constructor(
    message: string,
    lastLines: string[],
    readonly missingSecrets: string[],
    readonly fallbackReason?: string,
  ) {
    super(message, lastLines);
  }
}

function contextTar(req: BuildRequest): NodeJS.ReadableStream {
  // The file list is final (context-files.ts decided it): no second .dockerignore pass here.
  return tar.pack(req.contextDir, { entries: req.files }).pipe(zlib.createGzip());
}

/**
 * Builds with BuildKit when the engine has it (secrets and registry credentials served over a
 * session), else with the classic builder, saying why. Resolves to the image id.
 */
export async function buildImage(
  docker: Docker,
  req: BuildRequest,
  onLine: (l: string) => void,
): Promise<BuildOutcome> {
  const pinned = (docker.modem as { version?: string }).version;
  // Asked together: every round trip to the engine is on the build's clock.
  const [server, bridge] = await Promise.all([docker.version(), hasNetwork(docker, 'bridge')]);
  let reason = classicReason(server as { ApiVersion?: string; Os?: string }, pinned);
  let session: Session | undefined;
  if (!reason) {
    try {
      session = await openSession(docker, req.secrets, req.auth);
    } catch (err) {
      if (!(err instanceof SessionUnsupportedError)) throw err;
      reason = err.message;
    }
  }
  if (!session) {
    const why = reason ?? 'no BuildKit session';
    if (req.secrets.size > 0) throw new BuildError(`build-secrets need BuildKit, and ${why}`, [], [], why);
    onLine(`This engine cannot build with BuildKit (${why}): using the classic builder.`);
    return { ...(await buildClassic(docker, req, onLine)), fallbackReason: why };
  }
  try {
    const networkMode = bridge ? undefined : 'host';
    return await buildKit(
      docker,
      req,
      { kind: 'buildkit', session: session.id, networkMode },
      session,
      onLine,
    );
  } finally {
    session.close();
  }
}

/** Engines started with --bridge=none have no default network for RUN steps: BuildKit then needs one named. */
async function hasNetwork(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getNetwork(name).inspect();
    return true;
  } catch {
    return false;
  }
}

async function dialBuild(
  docker: Docker,
  req: BuildRequest,
  builder: Builder,
): Promise<NodeJS.ReadableStream> {
  const a = req.auth;
  // Classic builds get registry credentials for FROM in a header; BuildKit asks over the session.
  const registryconfig =
    builder.kind === 'classic' && a?.username && a.password
      ? { [a.serveraddress]: { username: a.username, password: a.password } }
      : undefined;
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      {
        path: '/build?',
        method: 'POST',
        file: contextTar(req),
        options: buildQuery(req, builder),
        registryconfig,
        isStream: true,
        statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
      },
      (err, stream) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}

async function buildKit(
  docker: Docker,
  req: BuildRequest,
  builder: Builder,
  session: Session,
  onLine: (l: string) => void,
): Promise<BuildOutcome> {
  const progress = new BuildProgress();
  let id: string | undefined;
  const translate = (e: ProgressEvent): string[] | undefined => {
    if (e.id === 'moby.buildkit.trace' && typeof e.aux === 'string')
      return progress.feed(decodeStatus(e.aux));
    if (e.id === 'moby.image.id' && typeof e.aux === 'object') id = e.aux.ID;
    return undefined;
  };
  try {
    await follow(docker, await dialBuild(docker, req, builder), onLine, translate);
  } catch (err) {
    const report = progress.report();
    const missing = [...session.missingSecrets];
    const lines = report.failed?.lines.length
      ? report.failed.lines
      : err instanceof DockerStreamError
        ? err.lastLines
        : [];
    throw new BuildError((err as Error).message, lines, missing);
  }
  return {
    id: id ?? (await docker.getImage(req.tag).inspect()).Id,
    builder: 'buildkit',
    progress: progress.report(),
    missingSecrets: [...session.missingSecrets],
  };
}

async function buildClassic(
  docker: Docker,
  req: BuildRequest,
  onLine: (l: string) => void,
): Promise<BuildOutcome> {
  const builder: Builder = { kind: 'classic', reason: '' };
  const { events } = await follow(docker, await dialBuild(docker, req, builder), onLine);
  const id = events.map((e) => (typeof e.aux === 'object' ? e.aux.ID : undefined)).find(Boolean);
  return { id: id ?? (await docker.getImage(req.tag).inspect()).Id, builder: 'classic', missingSecrets: [] };
}

/** Pushes `repo:tag`; resolves to the manifest digest the registry stored. */
export async function pushImage(
  docker: Docker,
  repo: string,
  tag: string,
  auth: RegistryAuth | undefined,
  onLine: (l: string) => void,
): Promise<string | undefined> {
  const stream = await docker.getImage(repo).push({ tag, authconfig: auth ?? {} });
  const { events } = await follow(docker, stream, onLine);
  const fromAux = events.map((e) => (typeof e.aux === 'object' ? e.aux.Digest : undefined)).find(Boolean);
  if (fromAux) return fromAux;
  const fromStatus = events
    .map((e) => /digest: (sha256:[0-9a-f]{64})/.exec(e.status ?? '')?.[1])
    .find(Boolean);
  if (fromStatus) return fromStatus;
  const info = await docker.getImage(`${repo}:${tag}`).inspect();
  return info.RepoDigests?.find((d) => d.startsWith(`${repo}@`))?.split('@')[1];
}

export type RemoteLookup = { exists: true; digest: string } | { exists: false };

/**
 * Asks the registry (through the engine) whether `ref` exists. 404 means absent; 401/403 mean the
 * registry refused us, which must not be mistaken for "absent" (that would rebuild and then fail
 * to push, or worse, silently deploy something else).
 */
export async function lookupRemote(
  docker: Docker,
  ref: string,
  auth: RegistryAuth | undefined,
): Promise<RemoteLookup> {
  try {
    const data = (await docker.getImage(ref).distribution({ authconfig: auth })) as {
      Descriptor?: { digest?: string };
    };
    const digest = data.Descriptor?.digest;
    if (!digest) throw new Error(`the registry answered without a digest for ${ref}`);
    return { exists: true, digest };
  } catch (err) {
    const e = err as { statusCode?: number; json?: { message?: string }; message?: string };
    const message = (e.json?.message ?? e.message ?? String(err)).trim();
    if (e.statusCode === 404 || /manifest unknown|not found/i.test(message)) return { exists: false };
    if (
      e.statusCode === 401 ||
      e.statusCode === 403 ||
      /unauthorized|denied|authentication required/i.test(message)
    ) {
      throw new Error(
        `the registry refused access to ${ref} (${message}); check registry-username and registry-password`,
      );
    }
    throw new Error(`could not ask the registry about ${ref}: ${message}`);
  }
}

/** Pulls `ref` (by digest or tag) so its labels can be read; resolves when it is local. */
export async function pullImage(
  docker: Docker,
  ref: string,
  auth: RegistryAuth | undefined,
  onLine: (l: string) => void,
): Promise<void> {
  const stream = (await docker.pull(ref, { authconfig: auth })) as NodeJS.ReadableStream;
  await follow(docker, stream, onLine);
}

/** The labels of `ref`, pulling it first when this engine does not have it. */
export async function imageLabels(
  docker: Docker,
  ref: string,
  auth: RegistryAuth | undefined,
  onLine: (l: string) => void,
): Promise<Record<string, string>> {
  try {
    return (await docker.getImage(ref).inspect()).Config.Labels ?? {};
  } catch {
    await pullImage(docker, ref, auth, onLine);
    return (await docker.getImage(ref).inspect()).Config.Labels ?? {};
  }
}
