import type Docker from 'dockerode';
import { LABELS, type Ctx } from './context';
import { execIn, statusOf } from './exec';
import type { PortTable } from './types';

/** Every container of this app and environment (running or not), newest first. */
export async function appContainers(ctx: Ctx): Promise<Docker.ContainerInfo[]> {
  const list = await ctx.docker.listContainers({
    all: true,
    filters: { label: [`${LABELS.app}=${ctx.app}`, `${LABELS.environment}=${ctx.environment}`] },
  });
  return list.sort((a, b) => createdMs(b) - createdMs(a));
}

/** `Created` has whole seconds only; the deployed-at label orders containers made in the same second. */
function createdMs(c: Docker.ContainerInfo): number {
  const labelled = Date.parse(c.Labels[LABELS.deployedAt] ?? '');
  return Number.isNaN(labelled) ? c.Created * 1000 : labelled;
}

export function nameOf(info: Docker.ContainerInfo): string {
  return (info.Names[0] ?? info.Id).replace(/^\//, '');
}

/** `<app>-<sha7>-<n>`: n counts up past every container this host has had for that commit. */
export function nextName(ctx: Ctx, sha: string, existing: readonly Docker.ContainerInfo[]): string {
  const prefix = `${ctx.appName}-${sha.slice(0, 7)}-`;
  let n = 0;
  for (const c of existing) {
    const name = nameOf(c);
    if (name.startsWith(prefix)) n = Math.max(n, Number(name.slice(prefix.length)) || 0);
  }
  return `${prefix}${n + 1}`;
}

/**
 * A free host port for a container on `network: host`. It is read from the host itself (the
 * proxy shares the host's network namespace, so its /proc/net/tcp is the host's), because the
 * runner may be another machine; ports promised to stopped safe-deploy containers are skipped too,
 * so a rollback can restart one on its old port.
 */
export async function pickHostPort(ctx: Ctx, prober: string, known?: PortTable): Promise<number> {
  const used = new Set((known ?? (await readPorts(ctx, prober))).any);
  const labelled = await ctx.docker.listContainers({ all: true, filters: { label: [LABELS.port] } });
  for (const c of labelled) used.add(Number(c.Labels[LABELS.port]));
  const [lo, hi] = ctx.hostPortRange;
  for (let i = 0; i < 200; i++) {
    const port = lo + Math.floor(Math.random() * (hi - lo + 1));
    if (!used.has(port)) return port;
  }
  throw new Error(`no free host port in ${lo}-${hi}`);
}

/**
 * Local TCP ports in the prober's network namespace (the host's, on `network: host`): every
 * socket, and the listening ones (state 0A; a TIME_WAIT left by the proxy does not block a bind).
 */
export async function readPorts(ctx: Ctx, prober: string): Promise<PortTable> {
  const r = await execIn(ctx.docker, prober, ['sh', '-c', PORTS_SCRIPT]);
  return parsePortTable(r.stdout);
}

/**
 * Reduced to unique "port state" pairs inside the container: a busy host has tens of thousands
 * of sockets (megabytes of text) but only a few hundred distinct local ports.
 */
export const PORTS_SCRIPT = `awk '$1 ~ /^[0-9]+:$/ { split($2, a, ":"); print a[2], $4 }' /proc/net/tcp /proc/net/tcp6 | sort -u`;

/** The `port state` pairs (hex, as /proc/net/tcp writes them) that readPorts' script prints. */
export function parsePortTable(text: string): PortTable {
  const any = new Set<number>();
  const listening = new Set<number>();
  for (const m of text.matchAll(/^([0-9A-F]{4}) ([0-9A-F]{2})$/gim)) {
    const port = parseInt(m[1] ?? '0', 16);
    any.add(port);
    if (m[2] === '0A') listening.add(port);
  }
  return { any, listening };
}

/** Stops a container: SIGTERM, then SIGKILL after `timeoutMs`. Already stopped or gone is fine. */
export async function stopContainer(ctx: Ctx, name: string, timeoutMs: number): Promise<void> {
  try {
    await ctx.docker.getContainer(name).stop({ t: Math.max(1, Math.ceil(timeoutMs / 1000)) });
  } catch (err) {
    if (statusOf(err) !== 304 && statusOf(err) !== 404) throw err;
  }
}

export async function removeContainer(ctx: Ctx, name: string): Promise<void> {
  try {
    await ctx.docker.getContainer(name).remove({ force: true, v: false });
  } catch (err) {
    if (statusOf(err) !== 404) throw err;
  }
}

/**
 * Which containers were ever live: `keepRestarting` is called at the moment traffic moves to a
 * container, so its restart policy is the mark (labels cannot change after creation). A container
 * a killed run left behind (started, maybe even healthy, never switched to) has policy `no`.
 */
export async function everLive(ctx: Ctx, list: readonly Docker.ContainerInfo[]): Promise<Set<string>> {
  const marked = await Promise.all(
    list.map(async (c) => {
      try {
        const info = await ctx.docker.getContainer(c.Id).inspect();
        return info.HostConfig.RestartPolicy?.Name === LIVE_POLICY ? nameOf(c) : undefined;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    }),
  );
  return new Set(marked.filter((n): n is string => n !== undefined));
}

const LIVE_POLICY = 'unless-stopped';

/**
 * Keeps the newest `retain` stopped containers that were live (rollback targets) and removes
 * older ones, and every stopped container that never took traffic (left by a failed or killed run).
 */
export async function prune(ctx: Ctx, keep: readonly string[]): Promise<string[]> {
  const all = await appContainers(ctx);
  const live = await everLive(ctx, all);
  const stopped = all.filter((c) => c.State !== 'running' && !keep.includes(nameOf(c)));
  const retained = stopped.filter((c) => live.has(nameOf(c)));
  const never = stopped.filter((c) => !live.has(nameOf(c)));
  const removed: string[] = [];
  for (const c of [...retained.slice(ctx.retain), ...never]) {
    await removeContainer(ctx, nameOf(c));
    removed.push(nameOf(c));
  }
  if (removed.length > 0) ctx.log(`removed old containers (retain ${ctx.retain}): ${removed.join(', ')}`);
  return removed;
}

/**
 * Once traffic has moved to a container it restarts on its own; before, a crash must stay
 * visible. Also the mark of a container that was live (see `everLive`): a fresh container and a
 * retained one put back in service get it alike.
 */
export async function keepRestarting(ctx: Ctx, name: string): Promise<void> {
  await ctx.docker.getContainer(name).update({ RestartPolicy: { Name: LIVE_POLICY, MaximumRetryCount: 0 } });
}

export async function startExisting(ctx: Ctx, name: string): Promise<void> {
  try {
    await ctx.docker.getContainer(name).start();
  } catch (err) {
    if (statusOf(err) !== 304) throw err;
  }
}
