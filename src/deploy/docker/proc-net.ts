/**
 * The proxy's TCP table as the kernel writes it (`/proc/net/tcp` and `tcp6`): the drain's evidence
 * (drain.ts) and the switch exec's filter of it (proxy.ts) read one format, spelled here once.
 * Pure, so it is table-tested on tables this machine's kernel wrote.
 */
export interface Endpoint {
  ip: string;
  port: number;
}

const ESTABLISHED = '01';
const CLOSE_WAIT = '08';

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

const hexPort = (port: number): string => port.toString(16).padStart(4, '0').toUpperCase();

/**
 * A shell command that prints the tables' header lines and the lines clientConnections keeps for
 * `ports`: on a host-network proxy the table is the whole host's, and its thousand TIME_WAIT lines
 * cost ~30 ms on the way out of an exec. awk: busybox's in the proxy image, mawk here.
 */
export function clientConnectionsScript(ports: readonly number[]): string {
  const hex = ports.map(hexPort).join('|') || 'none';
  return `awk 'FNR == 1 || (($4 == "${ESTABLISHED}" || $4 == "${CLOSE_WAIT}") && $2 ~ /:(${hex})$/)' /proc/net/tcp /proc/net/tcp6 2>/dev/null`;
}

/** The socket lines of /proc/net/tcp{,6}: local address, remote address, state (upper case). */
function sockets(procNet: string): { local: string; remote: string; state: string }[] {
  const out: { local: string; remote: string; state: string }[] = [];
  for (const line of procNet.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length > 3 && /^\d+:$/.test(f[0] ?? ''))
      out.push({ local: (f[1] ?? '').toUpperCase(), remote: (f[2] ?? '').toUpperCase(), state: f[3] ?? '' });
  }
  return out;
}

/**
 * ESTABLISHED connections whose remote end is `to`, in the text of /proc/net/tcp and tcp6 (an
 * IPv4 address appears in tcp6 as ::ffff:a.b.c.d). Undefined when `to` is not an IPv4 address.
 */
export function connectionsTo(procNet: string, to: Endpoint): number | undefined {
  const ip = hex4(to.ip);
  if (!ip) return undefined;
  const port = hexPort(to.port);
  const remotes = new Set([`${ip}:${port}`, `0000000000000000FFFF0000${ip}:${port}`]);
  return sockets(procNet).filter((s) => s.state === ESTABLISHED && remotes.has(s.remote)).length;
}

/**
 * The server side of the client connections to `ports` (the site's public ports) that are still
 * the server's to answer: ESTABLISHED, or CLOSE_WAIT (the client has sent all it will, the server
 * may still be answering). Keyed by both ends, which no other connection shares while it is open.
 */
export function clientConnections(procNet: string, ports: readonly number[]): Set<string> {
  const suffixes = ports.map((p) => `:${hexPort(p)}`);
  const keys = new Set<string>();
  for (const s of sockets(procNet)) {
    if ((s.state === ESTABLISHED || s.state === CLOSE_WAIT) && suffixes.some((x) => s.local.endsWith(x)))
      keys.add(`${s.local}>${s.remote}`);
  }
  return keys;
}
