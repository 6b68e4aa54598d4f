import type Docker from 'dockerode';
import { parseStatusRanges, type StatusMatcher } from '../../util/status-ranges';
import { DEFAULT_PROXY_ADMIN, DEFAULT_PROXY_IMAGE, DEFAULT_PROXY_NAME } from './defaults';
import { dockerFromHost, hostLabel, pingOrExplain } from './client';
import { messageOf, statusOf } from './exec';
import { acquireLock, lockName, type Release } from './lock';
import { siteFile } from './proxy';
import type { DockerTargetOptions } from './types';

/** Options with every default applied, the client connected, and the derived names. */
export interface Ctx {
  docker: Docker;
  log: (line: string) => void;
  app: string;
  environment: string;
  /** `app` and `environment` as they may appear in container and file names. */
  appName: string;
  envName: string;
  network: string;
  hostNet: boolean;
  proxy: 'caddy' | 'none';
  proxyImage: string;
  proxyName: string;
  proxyAdmin: string;
  publicPort: number;
  domain?: string;
  healthPath: string;
  healthTimeoutMs: number;
  healthIntervalMs: number;
  accept: StatusMatcher;
  drainMs: number;
  retain: number;
  hostPortRange: [number, number];
  site: string;
  lock: string;
  /** The Docker host's name, for the public URL (127.0.0.1 for a local socket). */
  hostName: string;
  signal?: AbortSignal;
  opts: DockerTargetOptions;
}

export const LABELS = {
  app: 'safe-deploy.app',
  environment: 'safe-deploy.environment',
  sha: 'safe-deploy.sha',
  image: 'safe-deploy.image',
  deployedAt: 'safe-deploy.deployed-at',
  port: 'safe-deploy.port',
  upstream: 'safe-deploy.upstream',
  /** The workflow run that deployed it: re-running that run is the rollback button. */
  runUrl: 'safe-deploy.run-url',
} as const;

/** Docker names allow `[a-zA-Z0-9][a-zA-Z0-9_.-]*`; anything else becomes `-`. */
export function nameSafe(s: string): string {
  return s.replace(/[^a-zA-Z0-9_.-]+/g, '-').replace(/^[^a-zA-Z0-9]+/, '') || 'app';
}

const pinged = new WeakSet<Docker>();

/** Validates options, connects and pings: everything that can fail before anything changes. */
export async function connect(opts: DockerTargetOptions): Promise<Ctx> {
  const log = opts.log ?? ((): void => undefined);
  const accept = parseStatusRanges(opts.healthStatus ?? '200-399');
  const docker = opts.docker ?? dockerFromHost(opts.host, opts.sshKey, opts.sshKnownHosts);
  // Once per client: a run's preflight, state read, deploy and rollback share one.
  if (!pinged.has(docker)) {
    await pingOrExplain(docker, hostLabel(opts.host));
    pinged.add(docker);
  }
  const appName = nameSafe(opts.app);
  const envName = nameSafe(opts.environment);
  const network = opts.network?.trim() || 'safe-deploy';
  return {
    docker,
    log,
    app: opts.app,
    environment: opts.environment,
    appName,
    envName,
    network,
    hostNet: network === 'host',
    proxy: opts.proxy ?? 'caddy',
    proxyImage: opts.proxyImage?.trim() || DEFAULT_PROXY_IMAGE,
    proxyName: opts.proxyName?.trim() || DEFAULT_PROXY_NAME,
    proxyAdmin: opts.proxyAdmin?.trim() || DEFAULT_PROXY_ADMIN,
    publicPort: opts.publicPort ?? 80,
    domain: opts.domain?.trim() || undefined,
    healthPath: normalisePath(opts.healthPath ?? '/health'),
    healthTimeoutMs: opts.healthTimeoutMs ?? 60_000,
    healthIntervalMs: opts.healthIntervalMs ?? 1_000,
    accept,
    drainMs: opts.drainMs ?? 30_000,
    retain: Math.max(0, opts.retain ?? 5),
    hostPortRange: opts.hostPortRange ?? [20_000, 29_999],
    site: siteFile(appName, envName),
    lock: lockName(appName, envName),
    hostName: hostNameOf(opts.host),
    signal: opts.signal,
    opts,
  };
}

function hostNameOf(host?: string): string {
  const target = host?.trim() || process.env.DOCKER_HOST?.trim() || '';
  if (!target.includes('://') || target.startsWith('unix://')) return '127.0.0.1';
  try {
    return new URL(target).hostname || '127.0.0.1';
  } catch {
    return '127.0.0.1';
  }
}

function normalisePath(p: string): string {
  return p.startsWith('/') ? p : `/${p}`;
}

/** Pulls an image the host does not have; a host that has it is left alone (tags are by SHA). */
export async function ensureImage(ctx: Ctx, image: string): Promise<void> {
  try {
    await ctx.docker.getImage(image).inspect();
    return;
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
  ctx.log(`pulling ${image}`);
  try {
    const stream = await ctx.docker.pull(image, { authconfig: ctx.opts.registryAuth });
    await new Promise<void>((resolve, reject) => {
      ctx.docker.modem.followProgress(stream, (err: Error | null, events: Array<{ error?: string }>) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve();
      });
    });
  } catch (err) {
    throw new Error(`image ${image} is not on the Docker host and could not be pulled: ${messageOf(err)}`);
  }
}

export async function ensureNetwork(ctx: Ctx): Promise<void> {
  if (ctx.hostNet || ['bridge', 'none'].includes(ctx.network)) return;
  const found = await ctx.docker.listNetworks({ filters: { name: [ctx.network] } });
  if (found.some((n) => n.Name === ctx.network)) return;
  ctx.log(`creating network ${ctx.network}`);
  await ctx.docker.createNetwork({ Name: ctx.network, Driver: 'bridge', CheckDuplicate: true });
}

function takeLock(ctx: Ctx): Promise<Release> {
  return acquireLock(ctx.docker, {
    name: ctx.lock,
    // The proxy image (or, with proxy: none, the probe image): it has the shell the lease runs in.
    image: ctx.proxyImage,
    runId: ctx.opts.runId,
    runUrl: ctx.opts.runUrl,
    waitMs: ctx.opts.lockWaitMs ?? 600_000,
    staleMs: ctx.opts.lockStaleMs ?? 3_600_000,
    signal: ctx.signal,
    log: ctx.log,
  });
}

/**
 * Takes the app+environment lock for a span the caller ends: read what is live, decide, change
 * it (deploy or rollback with `lockHeld`). What the decision saw is then what the change finds,
 * with no second read under the lock; the lock container starts while the state is read.
 */
export async function holdDockerLock(opts: DockerTargetOptions): Promise<Release> {
  const ctx = await connect(opts);
  await ensureImage(ctx, ctx.proxyImage);
  return takeLock(ctx);
}

/** Runs `fn` holding the app+environment lock (unless the caller holds it); released on every path. */
export async function withLock<T>(ctx: Ctx, fn: () => Promise<T>, held = false): Promise<T> {
  if (held) return fn();
  const release: Release = await takeLock(ctx);
  try {
    return await fn();
  } finally {
    await release().catch((err: unknown) => ctx.log(`could not release ${ctx.lock}: ${messageOf(err)}`));
  }
}
