import { appContainers, nameOf, prune, removeContainer, stopContainer } from './containers';
import type { Ctx } from './context';
import { lastLogLines, messageOf, sleep } from './exec';
import { endpointOf, waitDrained, type Drained } from './drain';
import { clientConnections, type Endpoint } from './proc-net';
import { describe, waitHealthy } from './health';
import type { ProxyConfig } from './proxy';
import type { DockerDeployResult, DockerVersion, HealthReport } from './types';

/** The steps deploy and rollback share. */
export function proxyConfig(ctx: Ctx): ProxyConfig {
  return {
    name: ctx.proxyName,
    image: ctx.proxyImage,
    network: ctx.network,
    admin: ctx.proxyAdmin,
    publicPorts: ctx.domain ? [80, 443] : [ctx.publicPort],
    log: ctx.log,
  };
}

export async function probe(
  ctx: Ctx,
  container: string,
  url: string,
  prober = ctx.proxyName,
): Promise<HealthReport> {
  const health = await waitHealthy(ctx.docker, {
    prober,
    container,
    url,
    accept: ctx.accept,
    timeoutMs: ctx.healthTimeoutMs,
    intervalMs: ctx.healthIntervalMs,
    signal: ctx.signal,
    log: ctx.log,
  });
  if (health.healthy) ctx.log(`healthy after ${health.probes} probe(s), ${health.elapsedMs}ms`);
  return health;
}

/** The new container failed its health check: keep its last words, remove it, report. */
export async function failedHealth(
  ctx: Ctx,
  container: string,
  health: HealthReport,
  previous: DockerVersion | undefined,
): Promise<DockerDeployResult> {
  const logs = await lastLogLines(ctx.docker, container, 50);
  await removeContainer(ctx, container);
  const still = previous ? `${previous.sha.slice(0, 7)} keeps serving` : 'nothing was serving';
  let why: string;
  if (health.cancelled) why = `cancelled during the health check of ${container}`;
  else if (health.exitCode !== undefined)
    why = `${container} exited with code ${health.exitCode} before it was healthy`;
  else
    why = `${container} was not healthy in ${Math.round(ctx.healthTimeoutMs / 1000)}s (${describe(health)})`;
  ctx.log(`${why}; removed it, ${still}`);
  for (const line of logs) ctx.log(`  | ${line}`);
  return {
    status: 'failed',
    detail: `${why}; ${still}`,
    previous,
    current: previous,
    health,
    logs,
    ...(health.exitCode !== undefined && { exitCode: health.exitCode }),
    ...(health.cancelled && { cancelled: true }),
    gap: false,
    removed: [],
  };
}

/**
 * After the switch: the old containers (the previous one, and strays of killed runs) are stopped
 * once no request can still reach them (drain.ts: requests in flight finish, and so do those the
 * old config accepted before the reload), at most `drainMs` later; then SIGTERM, and another
 * `drainMs` before SIGKILL. A cancel here only shortens the
 * drain: traffic has already moved, and the old containers must not keep running. `table` is the
 * proxy's TCP table from just before the reload (switchSite), the drain's evidence.
 */
export async function retire(
  ctx: Ctx,
  keep: string,
  table: string | undefined,
): Promise<Drained | undefined> {
  const running = (await appContainers(ctx)).filter((c) => c.State === 'running' && nameOf(c) !== keep);
  if (running.length === 0) return undefined;
  let d: Drained | undefined;
  if (ctx.proxy === 'none') await sleep(ctx.drainMs, ctx.signal);
  else {
    const endpoints = (await Promise.all(running.map((c) => endpointOf(ctx, c)))).filter(
      (e): e is Endpoint => e !== undefined,
    );
    const ports = proxyConfig(ctx).publicPorts;
    const before = table === undefined ? undefined : clientConnections(table, ports);
    d = await waitDrained(ctx, endpoints, ctx.drainMs, ports, before);
    ctx.log(
      d.drained
        ? `drained in ${d.ms} ms (${d.peak} connection(s) were still open to the old version)`
        : `drain-timeout (${ctx.drainMs} ms) reached with ${d.peak} connection(s) open: stopping anyway`,
    );
  }
  const grace = ctx.signal?.aborted ? Math.min(ctx.drainMs, 5_000) : ctx.drainMs;
  for (const c of running) {
    ctx.log(`stopping ${nameOf(c)}`);
    await stopContainer(ctx, nameOf(c), grace);
  }
  return d;
}

/**
 * Once traffic has moved the run has succeeded: a failure to stop or prune old containers is
 * logged, not reported as a failed deploy (which would claim the old version still serves).
 */
export async function afterSwitch(
  ctx: Ctx,
  live: string,
  table: string | undefined,
): Promise<{ removed: string[]; drain?: Drained }> {
  let drain: Drained | undefined;
  try {
    drain = await retire(ctx, live, table);
    return { removed: await prune(ctx, [live]), drain };
  } catch (err) {
    ctx.log(`warning: ${live} is live, but cleaning up old containers failed: ${messageOf(err)}`);
    return { removed: [], drain };
  }
}
