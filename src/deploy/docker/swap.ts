import { appContainers, keepRestarting, removeContainer } from './containers';
import { connect, ensureImage, ensureNetwork, withLock, type Ctx } from './context';
import { deployDirect } from './direct';
import { failedResult, messageOf } from './exec';
import { launch } from './launch';
import { publicUrl, readLive, siteAddress } from './live';
import { ensureProxy, reloadProxy, removeSite, renderSite, writeSite } from './proxy';
import { afterSwitch, failedHealth, probe, proxyConfig } from './steps';
import type { DockerDeployOptions, DockerDeployResult, DockerVersion, HealthReport } from './types';

/**
 * Deploys one image to a Docker host with zero downtime: start the new container next to the
 * old one, probe it healthy from inside the proxy, point the proxy at it (`caddy reload`), let
 * the old one drain, stop it, and keep a few stopped versions for instant rollback. Any failure
 * before the switch removes the new container and leaves the old one serving. Never throws:
 * every outcome is a result with a one-line `detail`.
 */
export async function deployDocker(opts: DockerDeployOptions): Promise<DockerDeployResult> {
  let ctx: Ctx | undefined;
  try {
    ctx = await connect(opts);
    const c = ctx;
    c.log(`deploying ${opts.image} (${opts.sha.slice(0, 7)}) as ${c.app} (${c.environment})`);
    await ensureImage(c, opts.image);
    await ensureImage(c, c.proxyImage); // the proxy, or (proxy: none) the container probes run in
    return await withLock(c, opts.image, () =>
      c.proxy === 'none' ? deployDirect(c, opts) : deployProxied(c, opts),
    );
  } catch (err) {
    return failedResult(err, opts.signal);
  }
}

async function deployProxied(ctx: Ctx, opts: DockerDeployOptions): Promise<DockerDeployResult> {
  await ensureNetwork(ctx);
  await ensureProxy(ctx.docker, proxyConfig(ctx));
  const live = await readLive(ctx);
  const previous = live.version;
  ctx.log(previous ? `live: ${previous.sha.slice(0, 7)} in ${previous.container}` : 'live: nothing yet');
  if (ctx.signal?.aborted) throw new Error('cancelled before the new container started; nothing changed');
  const launched = await launch(ctx, opts, ctx.proxyName, await appContainers(ctx));
  const current: DockerVersion = { sha: opts.sha, image: opts.image, container: launched.name };
  ctx.log(`started ${launched.name}; probing ${launched.healthUrl}`);
  let switched = false;
  let health: HealthReport;
  try {
    health = await probe(ctx, launched.name, launched.healthUrl);
    if (!health.healthy) return await failedHealth(ctx, launched.name, health, previous);
    await keepRestarting(ctx, launched.name);
    const site = renderSite(siteAddress(ctx), { upstream: launched.upstream, ...current });
    await writeSite(ctx.docker, ctx.proxyName, ctx.site, site);
    try {
      await reloadProxy(ctx.docker, ctx.proxyName);
    } catch (err) {
      // Put the file back as it was, so the next reload (any app's) does not pick up ours.
      if (live.siteContent !== undefined)
        await writeSite(ctx.docker, ctx.proxyName, ctx.site, live.siteContent);
      else await removeSite(ctx.docker, ctx.proxyName, ctx.site);
      const still = previous ? `${previous.sha.slice(0, 7)} keeps serving` : 'nothing was serving';
      throw new Error(`${messageOf(err)}; removed ${launched.name}, ${still}`);
    }
    switched = true;
    ctx.log(`switched ${siteAddress(ctx)} to ${launched.name} (${launched.upstream})`);
  } finally {
    if (!switched) await removeContainer(ctx, launched.name).catch(() => undefined);
  }
  const removed = await afterSwitch(ctx, launched.name);
  return {
    status: 'deployed',
    detail: `${opts.sha.slice(0, 7)} is live in ${launched.name}${previous ? `, replacing ${previous.sha.slice(0, 7)}` : ''}`,
    previous,
    current,
    health,
    gap: false,
    upstream: launched.upstream,
    url: publicUrl(ctx),
    removed,
  };
}
