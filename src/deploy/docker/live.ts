import { appContainers, nameOf } from './containers';
import { LABELS, type Ctx } from './context';
import { statusOf } from './exec';
import { parseSite, readSite } from './proxy';
import type { DockerVersion, LiveSnapshot } from './types';

/**
 * What is live is what the proxy points at, read back from its site file on the host: not what
 * the last run believes it deployed (a run may have been cancelled, or someone rolled back by hand).
 */
export type Live = LiveSnapshot;

/**
 * `known`: a snapshot this run read earlier. Read under the lock the run still holds (`held`), it
 * stands as is. Read before the lock, the site file is read again (one archive call); unchanged,
 * the snapshot stands, with no container inspected again.
 */
export async function readLive(ctx: Ctx, known?: LiveSnapshot, held = false): Promise<Live> {
  if (known && held) return known;
  if (ctx.proxy === 'none') {
    const running = (await appContainers(ctx)).find((c) => c.State === 'running');
    return { version: running ? versionFromLabels(nameOf(running), running.Labels) : undefined };
  }
  const siteContent = await readSite(ctx.docker, ctx.proxyName, ctx.site);
  if (known && known.siteContent === siteContent) return known;
  const state = siteContent === undefined ? undefined : parseSite(siteContent);
  if (!state) return { siteContent };
  let container = state.container;
  if (!container) {
    // A site file without our comment (edited by hand): find the container by its upstream.
    const match = (await appContainers(ctx)).find((c) => c.Labels[LABELS.upstream] === state.upstream);
    container = match ? nameOf(match) : undefined;
  }
  if (container) {
    try {
      const info = await ctx.docker.getContainer(container).inspect();
      const fromLabels = versionFromLabels(container, info.Config.Labels ?? {});
      if (fromLabels) return { version: fromLabels, siteContent, upstream: state.upstream };
    } catch (err) {
      if (statusOf(err) !== 404) throw err;
    }
  }
  const version =
    container && state.sha ? { container, sha: state.sha, image: state.image ?? '' } : undefined;
  return { version, siteContent, upstream: state.upstream };
}

export function versionFromLabels(
  container: string,
  labels: Record<string, string>,
): DockerVersion | undefined {
  const sha = labels[LABELS.sha];
  if (!sha) return undefined;
  const image = labels[LABELS.image] ?? '';
  return { container, sha, image, runUrl: labels[LABELS.runUrl], deployedAt: labels[LABELS.deployedAt] };
}

/** Where the proxy reaches a container, and where the health probe asks. */
export function upstreamFor(ctx: Ctx, container: string, port: number): string {
  return ctx.hostNet ? `127.0.0.1:${port}` : `${container}:${port}`;
}

/** The site address: the domain (automatic HTTPS) or the public port (plain HTTP). */
export function siteAddress(ctx: Ctx): string {
  return ctx.domain ?? `:${ctx.publicPort}`;
}

export function publicUrl(ctx: Ctx): string {
  return ctx.domain ? `https://${ctx.domain}` : `http://${ctx.hostName}:${ctx.publicPort}`;
}
