/**
 * Drain by evidence: after the switch, the old containers are stopped as soon as no request can
 * still reach them, instead of after a fixed `drain-timeout` (now the upper bound). The evidence is
 * the proxy's own TCP table (`/proc/net/tcp{,6}` in its network namespace, read by exec). (Caddy's
 * admin API, `/reverse_proxy/upstreams`, cannot give it: it drops the old upstream at the reload,
 * while a request on it is still running, and busybox cannot speak HTTP over its Unix socket.)
 *
 * A request of the old config shows in two ways:
 * - an ESTABLISHED connection from Caddy to the old upstream, once it has been dialed; and
 * - before that, its client's connection to the public port. Caddy's `/load` returns while the old
 *   config's server shuts down gracefully: it closes its idle client connections at once and each
 *   busy one after its response, and it never hands a connection to the new config. So every
 *   client connection that was open just before the reload (`before`, read in the switch's exec)
 *   is the old config's, and the old config is done when none of them is left. Seen in
 *   bench/zero-downtime on a loaded 2-core host: a request sent 0.1 s before the reload dialed the
 *   old upstream 0.8 s after it; counting upstream connections alone stopped the old version under
 *   it (16 of 22,605 failed).
 * - A client connection not open before the reload but open at the first read after the switch
 *   may be either config's: the old server may accept until its shutdown goroutine runs, and a new
 *   config's connection stays open for as long as its client keeps it alive. These are waited for
 *   up to `SETTLE_MS` (or drain-timeout when shorter), so the settle window that used to apply to
 *   every deploy now applies only when a client connected during the switch.
 */
import type Docker from 'dockerode';
import { LABELS, type Ctx } from './context';
import { execIn, messageOf, sleep } from './exec';
import { clientConnections, connectionsTo, type Endpoint } from './proc-net';

/** What one read of the table says is left of the old version's traffic. */
export interface Left {
  /** Connections from the proxy to the old upstreams. */
  upstream: number;
  /** Client connections the old config held before the reload. */
  old: number;
  /** Client connections accepted during or just after the reload, of either config. */
  unsure: number;
}

/**
 * Reads one table against the client connections open before the reload. `unsure` is the set of
 * those accepted since, as the first read after the switch found them; the first read passes
 * none and gets it back in `clients`.
 */
export function leftOf(
  procNet: string,
  endpoints: readonly Endpoint[],
  ports: readonly number[],
  before: ReadonlySet<string>,
  unsure: ReadonlySet<string> | undefined,
): { left: Left; clients: Set<string> } | undefined {
  let upstream = 0;
  for (const e of endpoints) {
    const n = connectionsTo(procNet, e);
    if (n === undefined) return undefined;
    upstream += n;
  }
  const clients = clientConnections(procNet, ports);
  const left: Left = { upstream, old: 0, unsure: 0 };
  for (const key of clients) {
    if (before.has(key)) left.old++;
    else if (!unsure || unsure.has(key)) left.unsure++;
  }
  return { left, clients };
}

/** Done when nothing of the old config is left; connections of either config count only while settling. */
export function drainedBy(left: Left, elapsedMs: number, settleMs: number): boolean {
  return left.upstream === 0 && left.old === 0 && (left.unsure === 0 || elapsedMs >= settleMs);
}

/** Where the proxy reaches a container: its upstream label, with a container name resolved to its IP. */
export async function endpointOf(ctx: Ctx, c: Docker.ContainerInfo): Promise<Endpoint | undefined> {
  const upstream = c.Labels[LABELS.upstream];
  if (!upstream) return undefined;
  const cut = upstream.lastIndexOf(':');
  const host = upstream.slice(0, cut);
  const port = Number(upstream.slice(cut + 1));
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return { ip: host, port };
  const info = await ctx.docker.getContainer(c.Id).inspect();
  const ip = info.NetworkSettings.Networks?.[ctx.network]?.IPAddress;
  return ip ? { ip, port } : undefined;
}

export interface Drained {
  /** How long the wait took. */
  ms: number;
  /** False when `drain-timeout` ran out with connections still open, or there was no evidence to read. */
  drained: boolean;
  /** The most connections seen at once. */
  peak: number;
}

/** Polls back off from a first read right after the switch to this. */
const POLL_MS = 100;
/** The wait for connections accepted during the reload: see above. Far below the 30 s drain-timeout default. */
export const SETTLE_MS = 2_000;

/**
 * Waits until nothing of the old config is left (see above), at most `boundMs`. `before` is the
 * client connections the switch read just before the reload; without it (no table read there)
 * every client connection counts as unsure, which is the old rule: the settle window, then no
 * upstream connection in two reads in a row.
 */
export async function waitDrained(
  ctx: Ctx,
  endpoints: readonly Endpoint[],
  boundMs: number,
  ports: readonly number[],
  before: ReadonlySet<string> | undefined,
): Promise<Drained> {
  const started = Date.now();
  const settle = Math.min(SETTLE_MS, boundMs);
  let peak = 0;
  let clear = 0;
  let unsure: Set<string> | undefined;
  for (let poll = 0; ; poll++) {
    let read: ReturnType<typeof leftOf>;
    try {
      const r = await execIn(ctx.docker, ctx.proxyName, ['cat', '/proc/net/tcp', '/proc/net/tcp6'], 10_000);
      read = leftOf(r.stdout, endpoints, ports, before ?? new Set(), before ? unsure : new Set());
    } catch (err) {
      ctx.log(`cannot read the proxy's connections (${messageOf(err)}): waiting the whole drain-timeout`);
    }
    if (read === undefined) {
      await sleep(Math.max(0, boundMs - (Date.now() - started)), ctx.signal);
      return { ms: Date.now() - started, drained: false, peak };
    }
    const { left, clients } = read;
    unsure ??= new Set([...clients].filter((k) => !before?.has(k)));
    peak = Math.max(peak, left.upstream, left.old);
    const elapsed = Date.now() - started;
    if (before) {
      if (drainedBy(left, elapsed, settle)) return { ms: elapsed, drained: true, peak };
    } else {
      clear = left.upstream === 0 ? clear + 1 : 0;
      if (clear >= 2 && elapsed >= settle) return { ms: elapsed, drained: true, peak };
    }
    if (elapsed >= boundMs || ctx.signal?.aborted) return { ms: elapsed, drained: false, peak };
    await sleep(Math.min(10 * 2 ** poll, POLL_MS, boundMs - elapsed), ctx.signal);
  }
}
