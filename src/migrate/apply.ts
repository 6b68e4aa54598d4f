import type pg from 'pg';
import type { MigrationFile } from './layout';
import { recordApplied, type HistoryTable } from './history';
import {
  describeSqlError,
  LOCK_NOT_AVAILABLE,
  sqlstateOf,
  type SentText,
  type SqlErrorInfo,
} from './pg-error';
import { prepareFile } from './prepare';
import { splitStatements, type SqlStatement } from './split';

/** Applying one migration file in the runner's session (the advisory lock is already held). */

export interface ApplyContext {
  client: pg.Client;
  table: HistoryTable;
  lockRetries: number;
  retryBaseDelayMs: number;
  databaseUrl: string;
  log: (line: string) => void;
  /** Lint's verdict per file name, recorded with the file (see AppliedMigration). */
  backwardCompatible?: (name: string) => boolean | undefined;
}

export type FileOutcome =
  | { ok: true; durationMs: number; attempts: number }
  | { ok: false; error: SqlErrorInfo; attempts: number; kind: 'sql' | 'lock-timeout' | 'invalid' };

class StatementFailed extends Error {
  constructor(
    readonly error: unknown,
    readonly sent: SentText,
    readonly note?: string,
  ) {
    super('statement failed');
  }
}

export async function applyFile(ctx: ApplyContext, file: MigrationFile): Promise<FileOutcome> {
  const prepared = prepareFile(file.sql);
  const at = (offset: number, text: string): SentText => ({
    text,
    offset,
    sql: file.sql,
    lineOffset: file.lineOffset,
  });
  if (prepared.mode === 'invalid') {
    const line = file.lineOffset + countNewlines(file.sql.slice(0, prepared.offset)) + 1;
    return { ok: false, kind: 'invalid', attempts: 0, error: { message: prepared.message, line } };
  }

  const started = Date.now();
  const tries: Tries = { retries: 0 };
  try {
    if (prepared.mode === 'transaction') {
      await withLockRetries(ctx, tries, file.name, () =>
        runInTransaction(ctx, file, prepared.text, started, at),
      );
    } else {
      ctx.log(`${file.name}: running outside a transaction, statement by statement (${prepared.reason})`);
      await runStatements(ctx, tries, file, prepared.statements, at);
      // Recorded after the fact: there is no transaction to record it in.
      await recordApplied(ctx.client, ctx.table, {
        name: file.name,
        checksum: file.checksum,
        durationMs: Date.now() - started,
        backwardCompatible: ctx.backwardCompatible?.(file.name),
      });
    }
  } catch (err) {
    const failure = err instanceof StatementFailed ? err : new StatementFailed(err, at(0, ''));
    const error = describeSqlError(failure.error, failure.sent, ctx.databaseUrl);
    if (failure.note) error.message += `; ${failure.note}`;
    const attempts = tries.retries + 1;
    const lockTimeout = error.sqlstate === LOCK_NOT_AVAILABLE;
    if (lockTimeout) {
      error.message += `; gave up after ${attempts} attempts (lock-retries ${ctx.lockRetries} exhausted)`;
    }
    return { ok: false, kind: lockTimeout ? 'lock-timeout' : 'sql', attempts, error };
  }
  return { ok: true, durationMs: Date.now() - started, attempts: tries.retries + 1 };
}

async function runInTransaction(
  ctx: ApplyContext,
  file: MigrationFile,
  text: string,
  started: number,
  at: (offset: number, text: string) => SentText,
): Promise<void> {
  const { client } = ctx;
  await client.query('BEGIN');
  try {
    // Statement by statement inside the one transaction (all or nothing still holds): an error
    // pg reports without a position (a duplicate table, a failed cast of existing rows) is then
    // still placed at the line of the statement that failed.
    for (const stmt of splitStatements(text)) {
      try {
        await client.query(stmt.text);
      } catch (err) {
        throw new StatementFailed(err, at(stmt.start, stmt.text));
      }
    }
    await recordApplied(client, ctx.table, {
      name: file.name,
      checksum: file.checksum,
      durationMs: Date.now() - started,
      backwardCompatible: ctx.backwardCompatible?.(file.name),
    });
    await client.query('COMMIT');
  } catch (err) {
    // The file leaves no trace: everything it did, and its history row, goes.
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

async function runStatements(
  ctx: ApplyContext,
  tries: Tries,
  file: MigrationFile,
  statements: SqlStatement[],
  at: (offset: number, text: string) => SentText,
): Promise<void> {
  for (const [index, stmt] of statements.entries()) {
    const index_ = describeConcurrentIndex(stmt);
    const existedBefore = index_ ? await relationExists(ctx.client, index_) : true;
    await withLockRetries(ctx, tries, `${file.name} statement ${index + 1}`, async () => {
      try {
        await ctx.client.query(stmt.text);
      } catch (err) {
        // A CREATE INDEX CONCURRENTLY that fails after its first phase leaves an INVALID index
        // behind; a retry (or the next run, with IF NOT EXISTS) would then "succeed" without one.
        if (index_ && !existedBefore) await dropInvalidIndex(ctx, index_);
        const note =
          index > 0
            ? `statements 1-${index} of this file ran outside a transaction and stay applied; the file is not recorded`
            : undefined;
        throw new StatementFailed(err, at(stmt.start, stmt.text), note);
      }
    });
  }
}

/** Retries so far for one file (a file's attempts are 1 + its retries, across its statements). */
interface Tries {
  retries: number;
}

/** Runs `fn`, retrying on lock_timeout (only) with exponential backoff, up to lockRetries times. */
async function withLockRetries(
  ctx: ApplyContext,
  tries: Tries,
  label: string,
  fn: () => Promise<void>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await fn();
      return;
    } catch (err) {
      const cause = err instanceof StatementFailed ? err.error : err;
      if (sqlstateOf(cause) !== LOCK_NOT_AVAILABLE || attempt > ctx.lockRetries) throw err;
      const delay = ctx.retryBaseDelayMs * 2 ** (attempt - 1);
      ctx.log(
        `${label}: lock timeout (SQLSTATE ${LOCK_NOT_AVAILABLE}) on attempt ${attempt} of ${ctx.lockRetries + 1}; retrying in ${delay} ms`,
      );
      tries.retries++;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** The qualified name (as SQL text) of the index a CREATE INDEX CONCURRENTLY builds, when it names one. */
function describeConcurrentIndex(stmt: SqlStatement): string | undefined {
  const [a, b, c] = stmt.words;
  if (a !== 'create' || !(b === 'index' || (b === 'unique' && c === 'index'))) return undefined;
  const ident = '(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)';
  const re = new RegExp(
    `\\bconcurrently\\s+(?:if\\s+not\\s+exists\\s+)?(${ident})\\s+on\\s+(?:only\\s+)?(${ident})(?:\\s*\\.\\s*(${ident}))?`,
    'i',
  );
  const m = re.exec(stmt.text);
  if (!m?.[1]) return undefined;
  // The index lives in its table's schema: ON schema.table names it.
  return m[3] && m[2] ? `${m[2]}.${m[1]}` : m[1];
}

async function relationExists(client: pg.Client, name: string): Promise<boolean> {
  const res = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid AS oid', [name]);
  return res.rows[0]?.oid != null;
}

async function dropInvalidIndex(ctx: ApplyContext, name: string): Promise<void> {
  try {
    const res = await ctx.client.query<{ valid: boolean }>(
      'SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass($1)',
      [name],
    );
    if (res.rows[0] && !res.rows[0].valid) {
      ctx.log(`dropping the invalid index ${name} left by the failed CREATE INDEX CONCURRENTLY`);
      await ctx.client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${name}`);
    }
  } catch (err) {
    ctx.log(`could not drop the invalid index ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (const ch of text) if (ch === '\n') n++;
  return n;
}
