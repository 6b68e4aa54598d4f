import { appContainers, everLive, nameOf, readPorts } from './containers';
import { connect } from './context';
import { readLive, versionFromLabels } from './live';
import type { DockerTargetOptions, DockerVersion, LiveSnapshot } from './types';

/**
 * What the host knows about an app and environment, read without changing anything: the live
 * version (from the proxy) and every version whose container it still has (retained for rollback),
 * newest first.
 */
export async function readDockerState(
  opts: DockerTargetOptions,
  withPorts = false,
): Promise<{ live?: DockerVersion; retained: DockerVersion[]; snapshot: LiveSnapshot }> {
  const ctx = await connect(opts);
  // With the lock held, the port table read now (next to the state) still holds at the change.
  // A proxy that is not running cannot be asked: the change reads the ports itself. Not awaited
  // here: the decision does not need it, and the exec is the slowest of these reads.
  const ports =
    withPorts && ctx.hostNet && ctx.proxy === 'caddy'
      ? readPorts(ctx, ctx.proxyName).catch(() => undefined)
      : undefined;
  const snapshot = await readLive(ctx);
  const live = snapshot.version;
  const all = await appContainers(ctx);
  // Only versions that were live count: a container a killed run left is not a past release.
  const wasLive = await everLive(ctx, all);
  const retained = all
    .filter((c) => wasLive.has(nameOf(c)) || nameOf(c) === live?.container)
    .map((c) => versionFromLabels(nameOf(c), c.Labels))
    .filter((v): v is DockerVersion => v !== undefined);
  return { live, retained, snapshot: { ...snapshot, containers: { all, wasLive }, ports } };
}

/** Reaches the host (ping; over SSH the host key is checked first) and changes nothing. */
export async function preflightDocker(opts: DockerTargetOptions): Promise<void> {
  await connect(opts);
}
