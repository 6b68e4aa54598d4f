import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';

/**
 * The migrations table: which files were applied, with what content, when and how long they took.
 * One row per file, written in the same transaction as the file itself.
 */

export const DEFAULT_MIGRATIONS_TABLE = 'safe_deploy_migrations';

export interface AppliedMigration {
  name: string;
  checksum: string;
  appliedAt: Date;
  durationMs: number;
  /**
   * Whether lint found the file safe for the previous app version (no drop, rename or other
   * breaking change) when it was applied; undefined for rows written without that knowledge.
   * A re-run of an older commit reports it for the newer migrations it leaves in place.
   */
  backwardCompatible?: boolean;
}

/** A validated table name: `name` or `schema.name`, folded to lower case like unquoted SQL. */
export interface HistoryTable {
  schema?: string;
  name: string;
  /** Quoted, safe to splice into SQL. */
  sql: string;
  /** As the user would write it unquoted, for messages and the lock key. */
  display: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export function parseHistoryTable(raw: string | undefined): HistoryTable {
  const text = (raw ?? '').trim() || DEFAULT_MIGRATIONS_TABLE;
  const parts = text.split('.');
  // Identifiers only: the name is spliced into SQL (it cannot be a bind parameter), so nothing that
  // would need quoting gets through.
  if (parts.length > 2 || !parts.every((p) => IDENT.test(p))) {
    throw new Error(
      `migrations-table "${text}" is not a valid table name: use letters, digits and _ (at most 63), optionally schema-qualified as schema.table`,
    );
  }
  const lower = parts.map((p) => p.toLowerCase());
  const name = lower[lower.length - 1] as string;
  const schema = lower.length === 2 ? lower[0] : undefined;
  return {
    schema,
    name,
    sql: lower.map((p) => `"${p}"`).join('.'),
    display: lower.join('.'),
  };
}

/**
 * The advisory-lock key: stable across runs and machines (every runner of the same table must
 * agree), distinct per table so two apps sharing a database with different tables don't wait on
 * each other. Advisory locks are per database already.
 */
export function advisoryLockKey(table: HistoryTable): string {
  const digest = createHash('sha256').update(`safe-deploy:migrations:${table.display}`).digest();
  return BigInt.asIntN(64, digest.readBigUInt64BE(0)).toString();
}

export async function historyTableExists(client: ClientBase, table: HistoryTable): Promise<boolean> {
  const res = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid AS oid', [table.sql]);
  return res.rows[0]?.oid != null;
}

export async function ensureHistoryTable(client: ClientBase, table: HistoryTable): Promise<void> {
  if (table.schema) {
    // CREATE SCHEMA IF NOT EXISTS checks the CREATE privilege even when the schema exists, so ask first.
    const res = await client.query<{ oid: string | null }>('SELECT to_regnamespace($1)::oid AS oid', [
      `"${table.schema}"`,
    ]);
    if (res.rows[0]?.oid == null) await client.query(`CREATE SCHEMA IF NOT EXISTS "${table.schema}"`);
  }
  if (await historyTableExists(client, table)) {
    // Tables from before the column existed get it; adding a nullable column is metadata-only.
    await client.query(`ALTER TABLE ${table.sql} ADD COLUMN IF NOT EXISTS backward_compatible boolean`);
    return;
  }
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${table.sql} (
       name text PRIMARY KEY,
       checksum text NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now(),
       duration_ms integer NOT NULL,
       backward_compatible boolean
     )`,
  );
}

export async function readApplied(client: ClientBase, table: HistoryTable): Promise<AppliedMigration[]> {
  if (!(await historyTableExists(client, table))) return [];
  // SELECT *: a table written by an older version may lack backward_compatible.
  const res = await client.query<{
    name: string;
    checksum: string;
    applied_at: Date;
    duration_ms: number;
    backward_compatible?: boolean | null;
  }>(`SELECT * FROM ${table.sql} ORDER BY name`);
  return res.rows.map((r) => ({
    name: r.name,
    checksum: r.checksum,
    appliedAt: r.applied_at,
    durationMs: r.duration_ms,
    backwardCompatible: r.backward_compatible ?? undefined,
  }));
}

export async function recordApplied(
  client: ClientBase,
  table: HistoryTable,
  row: { name: string; checksum: string; durationMs: number; backwardCompatible?: boolean },
): Promise<void> {
  await client.query(
    `INSERT INTO ${table.sql} (name, checksum, applied_at, duration_ms, backward_compatible) VALUES ($1, $2, now(), $3, $4)`,
    [row.name, row.checksum, Math.round(row.durationMs), row.backwardCompatible ?? null],
  );
}
