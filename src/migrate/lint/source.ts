/**
 * Offsets in a migration's SQL → lines. libpg-query reports statement locations in UTF-8 bytes
 * (the C parser's view) but syntax-error positions in characters (code points), while JS strings
 * index UTF-16 code units: each gets its own conversion.
 */
export class SqlSource {
  readonly lines: string[];
  private readonly lineStarts: number[] = [0];
  private readonly ascii: boolean;
  private bytes: Buffer | undefined;

  constructor(readonly sql: string) {
    for (let i = sql.indexOf('\n'); i >= 0; i = sql.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    this.lines = sql.split('\n');
    // eslint-disable-next-line no-control-regex
    this.ascii = /^[\x00-\x7f]*$/.test(sql);
  }

  /** 0-based line of a UTF-16 index. */
  lineOf(index: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  fromByte(byteOffset: number): number {
    if (this.ascii) return byteOffset;
    this.bytes ??= Buffer.from(this.sql, 'utf8');
    return this.bytes.subarray(0, byteOffset).toString('utf8').length;
  }

  fromCodePoint(cp: number): number {
    if (this.ascii) return cp;
    let index = 0;
    for (let n = 0; n < cp && index < this.sql.length; n++)
      index += (this.sql.codePointAt(index) ?? 0) > 0xffff ? 2 : 1;
    return index;
  }

  /**
   * The first real token at or after `index`: a statement's reported start includes the
   * whitespace and comments after the previous `;` (among them any allow comment).
   */
  skipTrivia(index: number, end = this.sql.length): number {
    const s = this.sql;
    let i = index;
    while (i < end) {
      const ch = s.charCodeAt(i);
      if (ch === 32 || (ch >= 9 && ch <= 13)) i++;
      else if (s.startsWith('--', i)) {
        const nl = s.indexOf('\n', i);
        i = nl < 0 ? end : nl + 1;
      } else if (s.startsWith('/*', i)) i = skipBlockComment(s, i);
      else break;
    }
    return Math.min(i, end);
  }
}

/** PostgreSQL block comments nest. */
function skipBlockComment(s: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < s.length) {
    if (s.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (s.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return s.length;
}
