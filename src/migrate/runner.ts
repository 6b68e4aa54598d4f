import type pg from 'pg';
import { applyFile } from './apply';
import {
  advisoryLockKey,
  ensureHistoryTable,
  parseHistoryTable,
  readApplied,
  type AppliedMigration,
  type HistoryTable,
} from './history';
import type { MigrationFile } from './layout';
import { computePlan, type PendingPlan } from './plan';
import { MigrationRunnerError, openSession, safeMessage } from './session';

/**
 * The built-in migration runner for PostgreSQL. One session per run; an advisory lock keyed on the
 * migrations table so concurrent runs (two environments, a re-run) take turns; each file in its own
 * transaction together with its history row, so a file is either fully applied and recorded or
 * not at all.
 */

export type { AppliedMigration } from './history';
export { DEFAULT_MIGRATIONS_TABLE } from './history';
export type { PendingPlan } from './plan';
export { MigrationRunnerError } from './session';

export interface PlanOptions {
  /** Secret: never logged, never in an error message. */
  databaseUrl: string;
  /** Default `safe_deploy_migrations`; `schema.table` allowed. */
  table?: string;
  connectTimeoutMs?: number;
}

export interface RunnerOptions extends PlanOptions {
  /** `lock_timeout` for every statement; 0 disables it. */
  lockTimeoutMs: number;
  /** `statement_timeout` for every statement; 0 disables it. */
  statementTimeoutMs: number;
  /** Extra attempts of a file after a lock timeout (SQLSTATE 55P03). */
  lockRetries: number;
  /** First backoff delay; doubles per retry. Default 1000. */
  retryBaseDelayMs?: number;
  log: (line: string) => void;
  /** Lint's verdict per file name, recorded in the migrations table with the file. */
  backwardCompatible?: (name: string) => boolean | undefined;
}

export interface RunFailure {
  /** The file's name (its id in the migrations table). */
  name: string;
  relPath?: string;
  /** One line: file, line, pg message, SQLSTATE, and what to do when that is not obvious. */
  error: string;
  kind: 'changed' | 'sql' | 'lock-timeout' | 'invalid';
  sqlstate?: string;
  /** 1-based line in the file, when pg reported a position. */
  line?: number;
  /** pg's 1-based character position in the text sent (the file's SQL, or one statement of it). */
  position?: number;
}

export interface RunResult {
  /** Files this run applied, in order. */
  applied: { name: string; durationMs: number; attempts: number }[];
  /** The file that stopped the run; files after it were not attempted. */
  failed?: RunFailure;
  /** Newer migrations already in the database (a re-run of an older commit); nothing was applied. */
  unknownApplied: AppliedMigration[];
}

/** Reads the migrations table (without creating it) and compares it with the files. */
export async function planMigrations(files: MigrationFile[], opts: PlanOptions): Promise<PendingPlan> {
  const table = parseHistoryTable(opts.table);
  const client = await openSession(opts);
  try {
    return computePlan(files, await readApplied(client, table));
  } catch (err) {
    throw wrap(err, 'reading the migrations table', opts.databaseUrl);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Applies the pending files in the order given, stopping at the first failure. */
export async function applyMigrations(files: MigrationFile[], opts: RunnerOptions): Promise<RunResult> {
  const table = parseHistoryTable(opts.table);
  const lockTimeoutMs = nonNegativeInt(opts.lockTimeoutMs, 'lock-timeout');
  const statementTimeoutMs = nonNegativeInt(opts.statementTimeoutMs, 'statement-timeout');
  const lockRetries = nonNegativeInt(opts.lockRetries, 'lock-retries');
  const retryBaseDelayMs = nonNegativeInt(opts.retryBaseDelayMs ?? 1000, 'retry base delay');
  const log = opts.log;

  const client = await openSession(opts);
  const key = advisoryLockKey(table);
  let locked = false;
  try {
    // Waiting for another run is expected and may take long: no timeout applies to that wait.
    await setTimeouts(client, 0, 0);
    locked = await acquireLock(client, key, table, log);
    await setTimeouts(client, lockTimeoutMs, statementTimeoutMs);
    await ensureHistoryTable(client, table);

    // Planned only now, under the lock: a run we waited for may have applied some files already.
    const plan = computePlan(files, await readApplied(client, table));
    const result: RunResult = { applied: [], unknownApplied: plan.unknownApplied };
    const changed = plan.checksumMismatch[0];
    if (changed) {
      const others =
        plan.checksumMismatch.length > 1 ? ` (and ${plan.checksumMismatch.length - 1} more)` : '';
      result.failed = {
        name: changed.name,
        relPath: files.find((f) => f.name === changed.name)?.relPath,
        kind: 'changed',
        error:
          `migration ${changed.name} was changed after it was applied: expected sha256 ${changed.expected}, ` +
          `found ${changed.actual}; add a new migration instead${others}`,
      };
      log(result.failed.error);
      return result;
    }
    if (plan.unknownApplied.length > 0) {
      log(
        `the database has ${plan.unknownApplied.length} migration(s) newer than this commit's files ` +
          `(${plan.unknownApplied.map((m) => m.name).join(', ')}): a re-run of an older commit; applying nothing`,
      );
      return result;
    }
    if (plan.pending.length === 0) {
      log(`migrations: all ${files.length} file(s) already applied`);
      return result;
    }
    log(`migrations: ${plan.pending.length} pending: ${plan.pending.map((f) => f.name).join(', ')}`);
    const ctx = {
      client,
      table,
      lockRetries,
      retryBaseDelayMs,
      databaseUrl: opts.databaseUrl,
      log,
      backwardCompatible: opts.backwardCompatible,
    };
    for (const file of plan.pending) {
      log(`applying ${file.name}`);
      const outcome = await applyFile(ctx, file);
      if (!outcome.ok) {
        const where = outcome.error.line !== undefined ? ` at line ${outcome.error.line}` : '';
        const state = outcome.error.sqlstate ? ` (SQLSTATE ${outcome.error.sqlstate})` : '';
        result.failed = {
          name: file.name,
          relPath: file.relPath,
          kind: outcome.kind,
          error: `migration ${file.name} failed${where}${state}: ${outcome.error.message}`,
          sqlstate: outcome.error.sqlstate,
          line: outcome.error.line,
          position: outcome.error.position,
        };
        log(result.failed.error);
        return result;
      }
      const tries = outcome.attempts > 1 ? ` after ${outcome.attempts} attempts` : '';
      log(`applied ${file.name} in ${outcome.durationMs} ms${tries}`);
      result.applied.push({ name: file.name, durationMs: outcome.durationMs, attempts: outcome.attempts });
    }
    return result;
  } catch (err) {
    throw wrap(err, 'running migrations', opts.databaseUrl);
  } finally {
    // Ending the session would release the lock too; unlocking first keeps that explicit and quick
    // for whoever waits, even if end() is slow.
    if (locked) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
    await client.end().catch(() => undefined);
  }
}

async function acquireLock(
  client: pg.Client,
  key: string,
  table: HistoryTable,
  log: (l: string) => void,
): Promise<boolean> {
  const tried = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
  if (tried.rows[0]?.ok) return true;
  log(
    `waiting for another migration run to finish (it holds the lock on ${table.display}${await holder(client, key)})`,
  );
  const started = Date.now();
  await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
  log(`lock acquired after ${Math.round((Date.now() - started) / 1000)} s`);
  return true;
}

/** ", pid 123, safe-deploy migrate" for the session holding the lock, when visible to us. */
async function holder(client: pg.Client, key: string): Promise<string> {
  const unsigned = BigInt.asUintN(64, BigInt(key));
  const res = await client
    .query<{ pid: number; app: string | null }>(
      `SELECT l.pid, a.application_name AS app
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.classid::text = $1 AND l.objid::text = $2
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [(unsigned >> 32n).toString(), (unsigned & 0xffffffffn).toString()],
    )
    .catch(() => undefined);
  const row = res?.rows[0];
  return row ? `, pid ${row.pid}${row.app ? `, ${row.app}` : ''}` : '';
}

async function setTimeouts(client: pg.Client, lockMs: number, statementMs: number): Promise<void> {
  await client.query(
    "SELECT set_config('lock_timeout', $1, false), set_config('statement_timeout', $2, false)",
    [`${lockMs}ms`, `${statementMs}ms`],
  );
}

function nonNegativeInt(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0)
    throw new MigrationRunnerError(`${what} must be a non-negative number`);
  return Math.round(value);
}

function wrap(err: unknown, doing: string, databaseUrl: string): Error {
  if (err instanceof MigrationRunnerError) return err;
  return new MigrationRunnerError(`${doing}: ${safeMessage(err, databaseUrl)}`);
}
