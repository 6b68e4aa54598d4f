import crypto from 'node:crypto';

/**
 * `ssh-known-hosts`: the host keys a `ssh://` docker-host may present, as `ssh-keyscan` prints
 * them (plain or hashed host names, `[host]:port` for ports other than 22). Pure functions: the
 * SSH layer hands over the key the server presented and gets a yes, or a line to add.
 */
export interface KnownKey {
  /** Host patterns of the line: names, `[host]:port`, or hashed `|1|salt|hash`. */
  hosts: string[];
  type: string;
  key: Buffer;
}

export function parseKnownHosts(text: string): KnownKey[] {
  const keys: KnownKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    // A marker such as @cert-authority or @revoked is not a plain key: skip the line.
    if (fields[0]?.startsWith('@')) continue;
    const [hosts, type, b64] = fields;
    if (!hosts || !type || !b64) continue;
    keys.push({ hosts: hosts.split(','), type, key: Buffer.from(b64, 'base64') });
  }
  return keys;
}

/** How a host is named in known_hosts: `host`, or `[host]:port` when the port is not 22. */
export function hostPattern(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function hostMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    const mac = crypto.createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return mac === hash;
  }
  return pattern === name;
}

/** Whether `key` (the raw key blob the server presented) is a known key of host:port. */
export function isKnownKey(known: readonly KnownKey[], host: string, port: number, key: Buffer): boolean {
  const name = hostPattern(host, port);
  return known.some((k) => k.hosts.some((h) => hostMatches(h, name)) && k.key.equals(key));
}

/** The key's type, read from the blob itself (its first SSH string). */
export function keyType(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return key.subarray(4, 4 + len).toString('ascii') || 'unknown';
}

/** `SHA256:…` as `ssh-keygen -l` prints it. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${crypto.createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

/** The known_hosts line for the key a host presented. */
export function knownHostsLine(host: string, port: number, key: Buffer): string {
  return `${hostPattern(host, port)} ${keyType(key)} ${key.toString('base64')}`;
}

/** The message when the key is not known: what was presented, and the line to add after checking it. */
export function unknownKeyMessage(
  host: string,
  port: number,
  key: Buffer,
  known: readonly KnownKey[],
): string {
  const name = hostPattern(host, port);
  const forHost = known.filter((k) => k.hosts.some((h) => hostMatches(h, name)));
  const why =
    known.length === 0
      ? 'ssh-known-hosts is not set'
      : forHost.length === 0
        ? `ssh-known-hosts has no key for ${name}`
        : `the host key of ${name} does not match ssh-known-hosts (it may have been re-installed, or someone is in the path)`;
  return (
    `${why}: ${name} presented ${keyType(key)} key ${fingerprint(key)}. Nothing was changed. ` +
    `If that fingerprint is the host's (check on the host: ssh-keygen -lf /etc/ssh/ssh_host_${keyType(key).replace(/^ssh-/, '')}_key.pub), ` +
    `add this line to ssh-known-hosts: ${knownHostsLine(host, port, key)}`
  );
}
