import type Docker from 'dockerode';
import { LABELS, type Ctx } from './context';
import { execIn, messageOf, sleep } from './exec';

/**
 * Drain by evidence: after the switch, the old containers are stopped as soon as the proxy has no
 * connection open to them, instead of after a fixed `drain-timeout` (now the upper bound). The
 * evidence is the proxy's own TCP table (`/proc/net/tcp{,6}` in its network namespace, read by
 * exec): a request in flight holds an ESTABLISHED connection from Caddy to the old upstream, and
 * Caddy closes its idle upstream connections once the old config is cleaned up after a reload, so
 * what remains is a request still being answered. (Caddy's admin API would say the same through
 * `/reverse_proxy/upstreams`, but it listens on a Unix socket that busybox cannot speak HTTP over.)
 *
 * A request the old config accepted just before the reload but has not yet dialed upstream has
 * no connection to count: seen in bench/zero-downtime on a loaded 2-core host (a request sent
 * 0.1 s before the reload dialed the old upstream 0.8 s after it, which had been stopped: 16 of
 * 22,605 failed). So the evidence counts only after a settle window (`SETTLE_MS`, or drain-timeout
 * when shorter), and must read zero twice in a row.
 */
export interface Endpoint {
  ip: string;
  port: number;
}

const ESTABLISHED = '01';

/** The hex form /proc/net/tcp uses for an IPv4 address (little-endian 32-bit word). */
function hex4(ip: string): string | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts
    .reverse()
    .map((p) => p.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

/**
 * ESTABLISHED connections whose remote end is `to`, in the text of /proc/net/tcp and tcp6 (an
 * IPv4 address appears in tcp6 as ::ffff:a.b.c.d). Undefined when `to` is not an IPv4 address.
 */
export function connectionsTo(procNet: string, to: Endpoint): number | undefined {
  const ip = hex4(to.ip);
  if (!ip) return undefined;
  const port = to.port.toString(16).padStart(4, '0').toUpperCase();
  const remotes = new Set([`${ip}:${port}`, `0000000000000000FFFF0000${ip}:${port}`]);
  let n = 0;
  for (const line of procNet.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (
      f.length > 3 &&
      /^\d+:$/.test(f[0] ?? '') &&
      f[3] === ESTABLISHED &&
      remotes.has((f[2] ?? '').toUpperCase())
    )
      n++;
  }
  return n;
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

const POLL_MS = 100;
/** The least wait after the switch: see above. Far below the 30 s drain-timeout default. */
export const SETTLE_MS = 2_000;

/** Waits until the proxy holds no connection to any of `endpoints`, at most `boundMs`. */
export async function waitDrained(
  ctx: Ctx,
  endpoints: readonly Endpoint[],
  boundMs: number,
): Promise<Drained> {
  const started = Date.now();
  const settle = Math.min(SETTLE_MS, boundMs);
  let peak = 0;
  let zeros = 0;
  for (;;) {
    let open: number | undefined = 0;
    try {
      const r = await execIn(ctx.docker, ctx.proxyName, ['cat', '/proc/net/tcp', '/proc/net/tcp6'], 10_000);
      for (const e of endpoints) {
        const n = connectionsTo(r.stdout, e);
        open = n === undefined || open === undefined ? undefined : open + n;
      }
    } catch (err) {
      ctx.log(`cannot read the proxy's connections (${messageOf(err)}): waiting the whole drain-timeout`);
      open = undefined;
    }
    if (open === undefined) {
      await sleep(Math.max(0, boundMs - (Date.now() - started)), ctx.signal);
      return { ms: Date.now() - started, drained: false, peak };
    }
    peak = Math.max(peak, open);
    const elapsed = Date.now() - started;
    zeros = open === 0 ? zeros + 1 : 0;
    if (zeros >= 2 && elapsed >= settle) return { ms: elapsed, drained: true, peak };
    if (elapsed >= boundMs || ctx.signal?.aborted) return { ms: elapsed, drained: false, peak };
    await sleep(Math.min(POLL_MS, boundMs - elapsed), ctx.signal);
  }
}
