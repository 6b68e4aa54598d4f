import type { ColType } from './ast';

/**
 * What the linted migrations say about column types, so `alter-column-type` can tell a
 * binary-coercible change (no rewrite) from one that rewrites the table. The old type is only
 * known when an earlier statement in the linted files declared it; otherwise the change is
 * reported (the allow comment is the way out).
 */
export class ColumnTypes {
  private readonly tables = new Map<string, Map<string, ColType>>();

  get(table: string, column: string): ColType | undefined {
    return this.tables.get(table)?.get(column);
  }

  set(table: string, column: string, type: ColType): void {
    let cols = this.tables.get(table);
    if (!cols) this.tables.set(table, (cols = new Map()));
    cols.set(column, type);
  }

  /** Forget a table's columns (CREATE TABLE starts from scratch; DROP TABLE ends it). */
  resetTable(table: string): void {
    this.tables.delete(table);
  }

  dropColumn(table: string, column: string): void {
    this.tables.get(table)?.delete(column);
  }

  renameColumn(table: string, from: string, to: string): void {
    const cols = this.tables.get(table);
    const type = cols?.get(from);
    cols?.delete(from);
    if (cols && type) cols.set(to, type);
  }

  renameTable(from: string, to: string): void {
    const cols = this.tables.get(from);
    this.tables.delete(from);
    this.tables.delete(to);
    if (cols) this.tables.set(to, cols);
  }
}

/** Types whose length/precision modifier can grow (or be removed) without a rewrite. */
const WIDENABLE: ReadonlySet<string> = new Set([
  'varchar',
  'varbit',
  'timestamp',
  'timestamptz',
  'time',
  'timetz',
]);

/**
 * Changes PostgreSQL makes without rewriting the table or rebuilding its indexes:
 * - no change at all (same type and modifiers);
 * - varchar(n) → varchar(m ≥ n), varchar, text; varchar → text; text → varchar (no length);
 * - varbit(n) → varbit(m ≥ n), varbit;
 * - numeric(p, s) → numeric(q ≥ p, s), numeric (no modifiers);
 * - timestamp, timestamptz, time, timetz: precision (p) → (q ≥ p) or no precision;
 * - cidr → inet.
 * Not listed, so reported: arrays of any of these, anything with USING, shrinking a modifier, and
 * timestamp → timestamptz (binary-coercible only when the session time zone is UTC).
 */
export function isBinaryCoercible(from: ColType, to: ColType): boolean {
  if (from.array !== to.array) return false;
  if (from.name === to.name && sameMods(from.mods, to.mods)) return true;
  if (from.array) return false;
  const [fromMod] = from.mods;
  const [toMod] = to.mods;
  if (from.name === 'varchar' && to.name === 'text') return true;
  if (from.name === 'text' && to.name === 'varchar') return to.mods.length === 0;
  if (from.name === 'cidr' && to.name === 'inet') return true;
  if (from.name !== to.name) return false;
  if (to.mods.length === 0) return WIDENABLE.has(to.name) || to.name === 'numeric';
  if (WIDENABLE.has(to.name)) {
    return from.mods.length === 1 && to.mods.length === 1 && atLeast(toMod, fromMod);
  }
  if (to.name === 'numeric') {
    return from.mods.length >= 1 && atLeast(toMod, fromMod) && (from.mods[1] ?? 0) === (to.mods[1] ?? 0);
  }
  return false;
}

function atLeast(a: number | undefined, b: number | undefined): boolean {
  return a !== undefined && b !== undefined && a >= b;
}

function sameMods(a: (number | undefined)[], b: (number | undefined)[]): boolean {
  return a.length === b.length && a.every((m, i) => m !== undefined && m === b[i]);
}
