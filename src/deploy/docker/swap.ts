import { appContainers, keepRestarting, removeContainer } from './containers';
import { connect, ensureImage, ensureNetwork, withLock, type Ctx } from './context';
import { deployDirect } from './direct';
import { failedResult, messageOf } from './exec';
import { launch } from './launch';
import { publicUrl, readLive, siteAddress, type Live } from './live';
import {
  ensureProxy,
  proxyRunning,
  reloadProxy,
  removeSite,
  renderSite,
  switchSite,
  writeSite,
} from './proxy';
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
    // The proxy, or (proxy: none) the container probes run in; a held lock was taken with it.
    if (!opts.lockHeld) await ensureImage(c, c.proxyImage);
    return await withLock(
      c,
      () => (c.proxy === 'none' ? deployDirect(c, opts) : deployProxied(c, opts)),
      opts.lockHeld,
    );
  } catch (err) {
    return failedResult(err, opts.signal);
  }
}

async function deployProxied(ctx: Ctx, opts: DockerDeployOptions): Promise<DockerDeployResult> {
  await ensureNetwork(ctx);
  const proxyState = await ensureProxy(ctx.docker, proxyConfig(ctx));
  const proxyNote = proxyState.action === 'none' ? undefined : proxyState.note;
  const live = await readLive(ctx, opts.known, opts.lockHeld);
  const previous = live.version;
  ctx.log(previous ? `live: ${previous.sha.slice(0, 7)} in ${previous.container}` : 'live: nothing yet');
  if (ctx.signal?.aborted) throw new Error('cancelled before the new container started; nothing changed');
  // Read under the lock the run still holds, the state read's containers and ports stand.
  const known = opts.lockHeld ? opts.known : undefined;
  const launched = await launch(
    ctx,
    opts,
    ctx.proxyName,
    known?.containers?.all ?? (await appContainers(ctx)),
    known?.ports,
  );
  const current: DockerVersion = { sha: opts.sha, image: opts.image, container: launched.name };
  ctx.log(`started ${launched.name}; probing ${launched.healthUrl}`);
  let switched = false;
  let table: string | undefined; // the proxy's TCP table just before the reload: the drain's evidence
  let health: HealthReport;
  try {
    health = await probe(ctx, launched.name, launched.healthUrl);
    if (health.proberDown) {
      return await proxyDied(ctx, live, launched.name, `during the health check of ${launched.name}`, health);
    }
    if (!health.healthy) return { ...(await failedHealth(ctx, launched.name, health, previous)), proxyNote };
    const site = renderSite(siteAddress(ctx), { upstream: launched.upstream, ...current });
    try {
      table = await switchSite(ctx.docker, ctx.proxyName, ctx.site, site, proxyConfig(ctx).publicPorts);
    } catch (err) {
      if (!(await proxyRunning(ctx.docker, ctx.proxyName)))
        return await proxyDied(ctx, live, launched.name, `while switching to ${launched.name}`, health);
      // Put the file back as it was, so the next reload (any app's) does not pick up ours.
      await restoreSite(ctx, live);
      const still = previous ? `${previous.sha.slice(0, 7)} keeps serving` : 'nothing was serving';
      throw new Error(`${messageOf(err)}; removed ${launched.name}, ${still}`);
    }
    switched = true;
    ctx.log(`switched ${siteAddress(ctx)} to ${launched.name} (${launched.upstream})`);
    // The mark of a version that was live (only these count as retained versions), and from now
    // on it restarts on its own.
    await keepRestarting(ctx, launched.name);
  } finally {
    if (!switched) await removeContainer(ctx, launched.name).catch(() => undefined);
  }
  const { removed, drain } = await afterSwitch(ctx, launched.name, table);
  const notes = [proxyNote, await healAfterSwitch(ctx, launched.name)].filter(Boolean);
  return {
    status: 'deployed',
    detail:
      `${opts.sha.slice(0, 7)} is live in ${launched.name}${previous ? `, replacing ${previous.sha.slice(0, 7)}` : ''}` +
      (notes.length ? ` (${notes.join('; ')})` : ''),
    previous,
    current,
    health,
    gap: false,
    upstream: launched.upstream,
    url: publicUrl(ctx),
    removed,
    ...(drain && { drain }),
    ...(notes.length && { proxyNote: notes.join('; ') }),
  };
}

/** Writes back the site file as it was before this run (or removes ours when there was none). */
async function restoreSite(ctx: Ctx, live: Live): Promise<void> {
  if (live.siteContent !== undefined) await writeSite(ctx.docker, ctx.proxyName, ctx.site, live.siteContent);
  else await removeSite(ctx.docker, ctx.proxyName, ctx.site);
}

/**
 * The proxy stopped or vanished mid-deploy: every app on the host is down, and it is not the new
 * version's fault. Start (or re-create) it, put this app's previous route back, remove the new
 * container, and fail with the real cause.
 */
async function proxyDied(
  ctx: Ctx,
  live: Live,
  launched: string,
  when: string,
  health: HealthReport,
): Promise<DockerDeployResult> {
  const cause = health.proberDown ?? `${ctx.proxyName} stopped`;
  ctx.log(`the proxy went down ${when}: ${cause}`);
  await removeContainer(ctx, launched).catch(() => undefined);
  let healed: string;
  try {
    await ensureProxy(ctx.docker, proxyConfig(ctx));
    await restoreSite(ctx, live);
    await reloadProxy(ctx.docker, ctx.proxyName);
    healed = live.version
      ? `started it again: ${live.version.sha.slice(0, 7)} serves again`
      : 'started it again';
  } catch (err) {
    healed = `could not start it again (${messageOf(err)}): start it by hand with docker start ${ctx.proxyName}`;
  }
  const detail = `the proxy ${ctx.proxyName} went down ${when} (${cause}); ${healed}; removed ${launched}. Re-run the deploy`;
  ctx.log(detail);
  return {
    status: 'failed',
    detail,
    previous: live.version,
    current: live.version,
    health,
    gap: false,
    removed: [],
    ...(health.cancelled && { cancelled: true }),
  };
}

/** The proxy died after the switch (during the drain): start it again; the site file names the new version. */
async function healAfterSwitch(ctx: Ctx, liveContainer: string): Promise<string | undefined> {
  try {
    if (await proxyRunning(ctx.docker, ctx.proxyName)) return undefined;
    const state = await ensureProxy(ctx.docker, proxyConfig(ctx));
    return state.action === 'none' ? undefined : `${state.note} after the switch; ${liveContainer} serves`;
  } catch (err) {
    const line = `warning: the proxy ${ctx.proxyName} is down and could not be started: ${messageOf(err)}`;
    ctx.log(line);
    return line;
  }
}
