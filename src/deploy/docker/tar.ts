/**
 * A minimal ustar writer: just enough to hand Caddy config files to `putArchive`. Hand-rolled
 * because tar-stream is only a transitive dependency, and a few small text files need nothing more.
 */
export interface TarEntry {
  /** Relative to the extraction directory, e.g. `etc/caddy/Caddyfile`; a trailing `/` makes a directory. */
  name: string;
  content?: string | Buffer;
  mode?: number;
}

const BLOCK = 512;

function writeString(buf: Buffer, value: string, offset: number, length: number): void {
  buf.write(value.slice(0, length), offset, length, 'utf8');
}

function writeOctal(buf: Buffer, value: number, offset: number, length: number): void {
  // Octal digits, zero padded, followed by a NUL, as every tar reader expects.
  writeString(buf, value.toString(8).padStart(length - 1, '0') + '\0', offset, length);
}

/** ustar keeps names up to 100 bytes, or 155 + 100 split at a `/`. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  const cut = name.lastIndexOf('/', 155);
  const prefix = name.slice(0, cut);
  const rest = name.slice(cut + 1);
  if (cut <= 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(rest) > 100) {
    throw new Error(`tar: name too long: ${name}`);
  }
  return [prefix, rest];
}

function header(entry: TarEntry, size: number, isDir: boolean): Buffer {
  const buf = Buffer.alloc(BLOCK);
  const [prefix, name] = splitName(entry.name);
  writeString(buf, name, 0, 100);
  writeOctal(buf, entry.mode ?? (isDir ? 0o755 : 0o644), 100, 8);
  writeOctal(buf, 0, 108, 8); // uid
  writeOctal(buf, 0, 116, 8); // gid
  writeOctal(buf, size, 124, 12);
  writeOctal(buf, Math.floor(Date.now() / 1000), 136, 12);
  buf.fill(' ', 148, 156); // the checksum is computed with its own field as spaces
  writeString(buf, isDir ? '5' : '0', 156, 1);
  writeString(buf, 'ustar\0', 257, 6);
  writeString(buf, '00', 263, 2);
  writeString(buf, prefix, 345, 155);
  let sum = 0;
  for (const byte of buf) sum += byte;
  writeString(buf, sum.toString(8).padStart(6, '0') + '\0 ', 148, 8);
  return buf;
}

export function tar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const isDir = entry.name.endsWith('/');
    const body = isDir ? Buffer.alloc(0) : Buffer.from(entry.content ?? '');
    parts.push(header(entry, body.length, isDir), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad > 0) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return Buffer.concat(parts);
}

/** The regular files of a tar archive (as `getArchive` returns it), by name. */
export function untar(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let i = 0;
  while (i + BLOCK <= archive.length) {
    const head = archive.subarray(i, i + BLOCK);
    if (head.every((b) => b === 0)) break; // end of archive
    const field = (offset: number, length: number): string =>
      head
        .subarray(offset, offset + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = prefix ? `${prefix}/${field(0, 100)}` : field(0, 100);
    if (type === '0' || type === '') files.set(name, archive.subarray(i + BLOCK, i + BLOCK + size));
    i += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
