/**
 * Builds an image through the Engine API: with BuildKit over our own session when the engine has
 * it (build secrets and registry credentials travel over the session, never in the request),
 * else with the classic builder, saying why. The heavy modules (gRPC, protobuf) are imported
 * here and below only, so a caller that only pushes or looks up images does not load them.
 */
import type Docker from 'dockerode';
import tar from 'tar-fs';
import { decodeStatus } from './buildkit-proto';
import { DockerStreamError, follow, type ProgressEvent } from './docker-image';
import { BuildProgress, type ProgressReport } from './progress';
import type { RegistryAuth } from './registry-auth';
import { openSession, SessionUnsupportedError, type Session } from './session';

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
  // Uncompressed, as the docker CLI sends it: over a local socket gzip only costs CPU.
  return tar.pack(req.contextDir, { entries: req.files });
}

/** What buildImage needs to know of the engine: its version (API, OS) and whether it has a bridge network. */
export interface EngineFacts {
  server: { ApiVersion?: string; Os?: string };
  bridge: boolean;
}

/** Asks the engine for its EngineFacts, both questions at once. */
export async function engineFacts(docker: Docker): Promise<EngineFacts> {
  const [server, bridge] = await Promise.all([docker.version(), hasNetwork(docker, 'bridge')]);
  return { server, bridge };
}

/** A BuildKit session being opened: open, or why not (err undefined: not asked, the pinned API is too old). */
export type SessionStart = { ok: true; session: Session } | { ok: false; err: unknown };

/**
 * Opens the build's BuildKit session; never rejects. A client pinned below 1.39 is known to build
 * classic without asking the engine: no session. An engine too old for sessions refuses the
 * session itself, which is why its failure is kept for buildImage to weigh, not thrown.
 */
export function startSession(
  docker: Docker,
  secrets: Map<string, string>,
  auth: RegistryAuth | undefined,
): Promise<SessionStart> {
  const pinned = (docker.modem as { version?: string }).version;
  if (classicReason({}, pinned) !== undefined) return Promise.resolve({ ok: false, err: undefined });
  return openSession(docker, secrets, auth).then(
    (session) => ({ ok: true as const, session }),
    (err: unknown) => ({ ok: false as const, err }),
  );
}

/**
 * Builds with BuildKit when the engine has it (secrets and registry credentials served over a
 * session), else with the classic builder, saying why. Resolves to the image id. `facts` and
 * `opened`: the engine's answers and the session when the caller started them already (while it
 * asked the registry); else started here, together: every round trip to the engine is on the
 * build's clock. The session is closed when the build is over, or at once when it cannot serve.
 */
export async function buildImage(
  docker: Docker,
  req: BuildRequest,
  onLine: (l: string) => void,
  facts: Promise<EngineFacts> = engineFacts(docker),
  opened: Promise<SessionStart> = startSession(docker, req.secrets, req.auth),
): Promise<BuildOutcome> {
  const pinned = (docker.modem as { version?: string }).version;
  // Both awaited at once, so a failed `facts` is handled while the session still opens.
  const [start, known] = await Promise.all([
    opened,
    facts.then(
      (f) => ({ ok: true as const, ...f }),
      (err: unknown) => ({ ok: false as const, err }),
    ),
  ]);
  if (!known.ok) {
    if (start.ok) start.session.close();
    throw known.err;
  }
  const { server, bridge } = known;
  let reason = classicReason(server, pinned);
  let session: Session | undefined;
  if (start.ok && reason) start.session.close();
  else if (start.ok) session = start.session;
  else if (!reason) {
    if (!(start.err instanceof SessionUnsupportedError)) throw start.err;
    reason = start.err.message;
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
