import { InputError } from './errors';

/** Reads one raw input (already trimmed) by its public name, e.g. `coverage-threshold`. */
export type InputGetter = (name: string) => string;

/** Durations as the interface allows them: `500ms`, `30s`, `5m`, `1h`, or plain seconds. */
export function parseDuration(name: string, raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(raw.trim());
  if (!m)
    throw new InputError(name, raw, 'expected a duration such as 500ms, 30s, 5m, 1h or a number of seconds');
  const value = Number(m[1]);
  const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(value * unitMs);
}

export function parseBoolean(name: string, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['true', 'yes', '1', 'on'].includes(v)) return true;
  if (['false', 'no', '0', 'off'].includes(v)) return false;
  throw new InputError(name, raw, 'expected true or false');
}

export function parseEnum<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  const v = raw.trim().toLowerCase() as T;
  if (allowed.includes(v)) return v;
  throw new InputError(name, raw, `expected one of ${allowed.join(', ')}`);
}

export function parseNumber(name: string, raw: string, min: number, max: number, integer = false): number {
  const n = Number(raw.trim());
  const kind = integer ? 'a whole number' : 'a number';
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new InputError(name, raw, `expected ${kind} from ${min} to ${max}`);
  }
  return n;
}

/** One item a line; with `commas`, commas separate items too. Blank lines and `#` comments drop. */
export function parseList(raw: string, commas = false): string[] {
  return raw
    .split(commas ? /[\n,]/ : /\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
}

/** KEY=VALUE lines. The value may contain `=`; the key must look like an identifier. */
export function parseKeyValues(
  name: string,
  raw: string,
  opts: { secret?: boolean } = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of parseList(raw)) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new InputError(name, opts.secret ? '' : line, 'expected KEY=VALUE lines (one a line)', opts);
    }
    out[key] = line.slice(eq + 1);
  }
  return out;
}
