import type Docker from 'dockerode';
import {
  appContainers,
  everLive,
  keepRestarting,
  nameOf,
  readPorts,
  startExisting,
  stopContainer,
} from './containers';
import { connect, ensureImage, LABELS, withLock, type Ctx } from './context';
import { startProber } from './direct';
import { failedResult } from './exec';
import { publicUrl, readLive, siteAddress, versionFromLabels, type Live } from './live';
import { ensureProxy, renderSite, switchSite } from './proxy';
import { afterSwitch, probe, proxyConfig } from './steps';
import type { DockerDeployResult, DockerRollbackOptions, DockerVersion, PortTable } from './types';

/**
 * Puts a retained (stopped) container back in service: start it, probe it healthy, point the
 * proxy back at it, stop the bad one. Used by verify's automatic rollback and by `rollback-to`
 * when the target is still on the host. Nothing is rebuilt or pulled: that is what makes it instant.
 */
export async function rollbackDocker(opts: DockerRollbackOptions): Promise<DockerDeployResult> {
  try {
    const ctx = await connect(opts);
    // A held lock was taken with this image (holdDockerLock ensured it): no second inspect.
    if (!opts.lockHeld) await ensureImage(ctx, ctx.proxyImage);
    return await withLock(
      ctx,
      async () => {
        const direct = ctx.proxy === 'none';
        const proxyState = direct ? undefined : await ensureProxy(ctx.docker, proxyConfig(ctx));
        const proxyNote = proxyState && proxyState.action !== 'none' ? proxyState.note : undefined;
        // One read of what is live (the run's earlier snapshot when it still holds).
        const live = await readLive(ctx, opts.known, opts.lockHeld);
        // Read under the lock the run still holds, the state read's containers and ports stand.
        const held = opts.lockHeld ? opts.known : undefined;
        const known = held?.containers;
        const all = known?.all ?? (await appContainers(ctx));
        // A named container needs only its own mark checked; a search needs every one's.
        const named = opts.to ? all.filter((c) => nameOf(c) === opts.to) : [];
        const wasLive = known?.wasLive ?? (await everLive(ctx, named.length === 1 ? named : all));
        const target = pickTarget(all, wasLive, opts.to, live.version);
        return rollbackLocked(ctx, nameOf(target), live, proxyNote, all, held?.ports);
      },
      opts.lockHeld,
    );
  } catch (err) {
    return failedResult(err, opts.signal);
  }
}

/** `to`: a container name or a SHA prefix; default the newest stopped version that is not live. */
function pickTarget(
  all: readonly Docker.ContainerInfo[],
  wasLive: ReadonlySet<string>,
  to: string | undefined,
  live: DockerVersion | undefined,
): Docker.ContainerInfo {
  // Only containers that were live: one a killed run left behind never passed a switch.
  const candidates = all.filter((c) => nameOf(c) !== live?.container && wasLive.has(nameOf(c)));
  const found = to
    ? candidates.find((c) => nameOf(c) === to || (c.Labels[LABELS.sha] ?? '').startsWith(to.toLowerCase()))
    : (candidates.find((c) => c.State !== 'running' && c.Labels[LABELS.sha] !== live?.sha) ??
      candidates.find((c) => c.State !== 'running'));
  if (!found) {
    const kept = all.map(nameOf).join(', ') || 'none';
    throw new Error(
      `no retained container ${to ? `matches ${to}` : 'to roll back to'} (containers on the host: ${kept})`,
    );
  }
  return found;
}

async function rollbackLocked(
  ctx: Ctx,
  target: string,
  live: Live,
  proxyNote: string | undefined,
  all: readonly Docker.ContainerInfo[],
  ports: Promise<PortTable | undefined> | undefined,
): Promise<DockerDeployResult> {
  const direct = ctx.proxy === 'none';
  // The ports the host listens on: read with the state under the run's lock, or else next to the
  // inspect, not after it: the exec is the slowest read of a rollback.
  const portTable = async (): Promise<PortTable> => (await ports) ?? readPorts(ctx, ctx.proxyName);
  const [info, table] = await Promise.all([
    ctx.docker.getContainer(target).inspect(),
    ctx.hostNet && !direct ? portTable() : undefined,
  ]);
  const listening = table?.listening;
  const version = versionFromLabels(target, info.Config.Labels ?? {});
  const upstream = info.Config.Labels?.[LABELS.upstream];
  if (!version || !upstream) throw new Error(`${target} has no safe-deploy labels: cannot roll back to it`);
  const prober = direct ? await startProber(ctx) : ctx.proxyName;
  try {
    const port = Number(upstream.slice(upstream.lastIndexOf(':') + 1));
    if (!info.State.Running && listening?.has(port)) {
      throw new Error(`${target} would listen on port ${port}, which something else holds now`);
    }
    // Read under the lock by the caller: no other run can have started or stopped one since.
    const running = all.filter((c) => c.State === 'running' && nameOf(c) !== target);
    if (direct) for (const c of running) await stopContainer(ctx, nameOf(c), ctx.drainMs);
    ctx.log(`rolling back to ${version.sha.slice(0, 7)}: starting ${target}`);
    await startExisting(ctx, target);
    const host = ctx.hostNet ? '127.0.0.1' : target;
    const health = await probe(ctx, target, `http://${host}:${port}${ctx.healthPath}`, prober);
    if (!health.healthy) {
      await stopContainer(ctx, target, 5_000);
      if (direct) for (const c of running) await startExisting(ctx, nameOf(c));
      const why = health.cancelled
        ? 'cancelled'
        : `not healthy (${health.lastStatus ?? health.lastError ?? 'no answer'})`;
      return {
        status: 'failed',
        detail: `rollback to ${target} failed: ${why}; ${live.version?.sha.slice(0, 7) ?? 'nothing'} is still live`,
        previous: live.version,
        current: live.version,
        health,
        gap: direct,
        removed: [],
        ...(health.cancelled && { cancelled: true }),
      };
    }
    let table: string | undefined; // the proxy's TCP table just before the reload: the drain's evidence
    if (!direct) {
      table = await switchSite(
        ctx.docker,
        ctx.proxyName,
        ctx.site,
        renderSite(siteAddress(ctx), { upstream, ...version }),
        proxyConfig(ctx).publicPorts,
      );
      ctx.log(`switched ${siteAddress(ctx)} back to ${target}`);
    }
    await keepRestarting(ctx, target); // the same restart policy as a fresh container once live
    const { removed, drain } = await afterSwitch(ctx, target, table);
    return {
      status: 'rolled-back',
      detail:
        `${version.sha.slice(0, 7)} is live again in ${target}${live.version ? `, replacing ${live.version.sha.slice(0, 7)}` : ''}` +
        (proxyNote ? ` (${proxyNote})` : ''),
      ...(proxyNote && { proxyNote }),
      previous: live.version,
      current: version,
      health,
      gap: direct,
      upstream,
      url: publicUrl(ctx),
      removed,
      ...(drain && { drain }),
    };
  } finally {
    if (direct)
      await ctx.docker
        .getContainer(prober)
        .remove({ force: true })
        .catch(() => undefined);
  }
}
