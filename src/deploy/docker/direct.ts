import {
  appContainers,
  keepRestarting,
  nameOf,
  prune,
  removeContainer,
  startExisting,
  stopContainer,
} from './containers';
import { ensureNetwork, type Ctx } from './context';
import { launch } from './launch';
import { publicUrl, readLive } from './live';
import { failedHealth, probe } from './steps';
import type { DockerDeployOptions, DockerDeployResult } from './types';

/**
 * `proxy: none`: the container itself holds the public port, and two cannot, so the old one is
 * stopped before the new one starts: a gap, said so in the result. A new version that fails
 * its health check is removed and the old one started again.
 */
export async function deployDirect(ctx: Ctx, opts: DockerDeployOptions): Promise<DockerDeployResult> {
  await ensureNetwork(ctx);
  const prober = await startProber(ctx);
  try {
    const existing = await appContainers(ctx);
    const previous = (await readLive(ctx)).version;
    const running = existing.filter((c) => c.State === 'running').map(nameOf);
    if (ctx.signal?.aborted) throw new Error('cancelled before the new container started; nothing changed');
    ctx.log(
      `proxy: none: stopping ${running.join(', ') || 'nothing'} first (traffic has a gap until the new one is up)`,
    );
    for (const name of running) await stopContainer(ctx, name, ctx.drainMs);
    let launchedName: string | undefined;
    try {
      const launched = await launch(ctx, opts, undefined, existing);
      launchedName = launched.name;
      const health = await probe(ctx, launched.name, launched.healthUrl, prober);
      if (!health.healthy) {
        const failed = await failedHealth(ctx, launched.name, health, previous);
        await restart(ctx, running);
        return { ...failed, gap: true };
      }
      await keepRestarting(ctx, launched.name);
      const removed = await prune(ctx, [launched.name]);
      return {
        status: 'deployed',
        detail: `${opts.sha.slice(0, 7)} is live in ${launched.name} (proxy: none, so traffic had a gap)`,
        previous,
        current: { sha: opts.sha, image: opts.image, container: launched.name },
        gap: true,
        upstream: launched.upstream,
        url: publicUrl(ctx),
        removed,
      };
    } catch (err) {
      if (launchedName) await removeContainer(ctx, launchedName).catch(() => undefined);
      await restart(ctx, running);
      throw err;
    }
  } finally {
    await removeContainer(ctx, prober).catch(() => undefined);
  }
}

async function restart(ctx: Ctx, names: readonly string[]): Promise<void> {
  for (const name of names) {
    ctx.log(`starting ${name} again`);
    await startExisting(ctx, name).catch((err: unknown) =>
      ctx.log(`could not start ${name} again: ${String(err)}`),
    );
  }
}

/**
 * Without a proxy there is still a container on the app's network to probe from: a short-lived
 * one from the proxy image (it has busybox wget), removed afterwards.
 */
export async function startProber(ctx: Ctx): Promise<string> {
  const name = `safe-deploy-probe-${ctx.appName}-${ctx.envName}`;
  await removeContainer(ctx, name);
  const c = await ctx.docker.createContainer({
    name,
    Image: ctx.proxyImage,
    Entrypoint: ['sleep'],
    Cmd: ['3600'],
    Labels: { 'safe-deploy.role': 'probe' },
    HostConfig: { NetworkMode: ctx.network, AutoRemove: false },
  });
  await c.start();
  return name;
}
