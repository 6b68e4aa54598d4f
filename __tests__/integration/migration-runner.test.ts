import crypto from 'node:crypto';
import pg from 'pg';
import type { MigrationFile } from '../../src/migrate/layout';
import { applyMigrations, planMigrations, type RunnerOptions } from '../../src/migrate/runner';
import { dropDatabases, freshDatabase } from '../helpers/database';

// Against the real PostgreSQL from scripts/services.sh; every test gets its own database.
let dbName = '';
let dbUrl = '';
const clients: pg.Client[] = [];

beforeEach(async () => {
  ({ name: dbName, url: dbUrl } = await freshDatabase('sd_test_'));
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
  await dropDatabases();
});

async function connect(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  clients.push(c);
  return c;
}

async function query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = await connect();
  const res = await c.query<T>(sql, params);
  return res.rows;
}

async function tableExists(name: string): Promise<boolean> {
  const rows = await query<{ oid: string | null }>('SELECT to_regclass($1)::oid AS oid', [name]);
  return rows[0]?.oid != null;
}

async function historyNames(table = 'safe_deploy_migrations'): Promise<string[]> {
  const rows = await query<{ name: string }>(`SELECT name FROM ${table} ORDER BY name`);
  return rows.map((r) => r.name);
}

function file(name: string, sql: string, extra: Partial<MigrationFile> = {}): MigrationFile {
  return {
    name,
    path: `/repo/db/migrations/${name}`,
    relPath: `db/migrations/${name}`,
    sql,
    lineOffset: 0,
    checksum: crypto.createHash('sha256').update(sql).digest('hex'),
    layout: 'plain',
    ...extra,
  };
}

function options(over: Partial<RunnerOptions> = {}): RunnerOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    databaseUrl: dbUrl,
    lockTimeoutMs: 5000,
    statementTimeoutMs: 60_000,
    lockRetries: 3,
    retryBaseDelayMs: 20,
    log: (line) => lines.push(line),
    lines,
    ...over,
  };
}

const THREE = [
  file('001_users.sql', 'CREATE TABLE users (id bigserial PRIMARY KEY, email text NOT NULL);\n'),
  file(
    '002_orders.sql',
    'CREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users);\n',
  ),
  file('003_seed.sql', "INSERT INTO users (email) VALUES ('a@example.com');\n"),
];

describe('applyMigrations', () => {
  test('applies three files in order, each recorded with its checksum', async () => {
    const opts = options();
    const result = await applyMigrations(THREE, opts);
    expect(result.failed).toBeUndefined();
    expect(result.applied.map((a) => a.name)).toEqual(['001_users.sql', '002_orders.sql', '003_seed.sql']);
    expect(result.applied.every((a) => a.attempts === 1 && a.durationMs >= 0)).toBe(true);
    expect(await tableExists('orders')).toBe(true);
    expect(await query('SELECT email FROM users')).toEqual([{ email: 'a@example.com' }]);
    const rows = await query<{ name: string; checksum: string; duration_ms: number; applied_at: Date }>(
      'SELECT name, checksum, duration_ms, applied_at FROM safe_deploy_migrations ORDER BY name',
    );
    expect(rows.map((r) => [r.name, r.checksum])).toEqual(THREE.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.applied_at instanceof Date && r.duration_ms >= 0)).toBe(true);
    expect(opts.lines).toContain('applying 002_orders.sql');
  });

  test('a re-run applies nothing, and the plan shows nothing pending', async () => {
    await applyMigrations(THREE, options());
    const opts = options();
    const again = await applyMigrations(THREE, opts);
    expect(again).toEqual({ applied: [], unknownApplied: [] });
    expect(opts.lines.join('\n')).toMatch(/all 3 file\(s\) already applied/);
    const plan = await planMigrations(THREE, { databaseUrl: dbUrl });
    expect(plan.pending).toEqual([]);
    expect(plan.applied.map((a) => a.name)).toEqual(THREE.map((f) => f.name));
    expect(plan.checksumMismatch).toEqual([]);
    expect(plan.unknownApplied).toEqual([]);
    expect(await query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 1 }]);
  });

  test('plan on a fresh database lists every file as pending and creates nothing', async () => {
    const plan = await planMigrations(THREE, { databaseUrl: dbUrl });
    expect(plan.pending.map((f) => f.name)).toEqual(THREE.map((f) => f.name));
    expect(plan.applied).toEqual([]);
    expect(await tableExists('safe_deploy_migrations')).toBe(false);
  });

  test('a syntax error in file 2 keeps file 1, leaves no trace of file 2, and names the line', async () => {
    const files = [
      THREE[0]!,
      file('002_broken.sql', '-- orders\nCREATE TABLE orders (id int);\nCREATE TABEL oops (id int);\n'),
      THREE[2]!,
    ];
    const result = await applyMigrations(files, options());
    expect(result.applied.map((a) => a.name)).toEqual(['001_users.sql']);
    expect(result.failed).toMatchObject({ name: '002_broken.sql', kind: 'sql', sqlstate: '42601', line: 3 });
    expect(result.failed?.error).toMatch(
      /^migration 002_broken\.sql failed at line 3 \(SQLSTATE 42601\): syntax error/,
    );
    expect(await tableExists('users')).toBe(true);
    expect(await tableExists('orders')).toBe(false);
    expect(await historyNames()).toEqual(['001_users.sql']);
    expect(await query('SELECT count(*)::int AS n FROM users')).toEqual([{ n: 0 }]); // file 3 never ran
  });

  test('a runtime error rolls back the statements of the file that already ran', async () => {
    const files = [THREE[0]!, file('002_half.sql', 'CREATE TABLE orders (id int);\nSELECT 1/0;\n')];
    const result = await applyMigrations(files, options());
    expect(result.failed).toMatchObject({ name: '002_half.sql', sqlstate: '22012' });
    expect(result.failed?.error).toMatch(/division by zero/);
    expect(await tableExists('orders')).toBe(false);
    expect(await historyNames()).toEqual(['001_users.sql']);
  });

  test('a failing statement pg gives no position for is still reported with its line', async () => {
    // A duplicate table (42P07) and a division by zero (22012) carry no position in pg's error.
    const dup = 'CREATE TABLE orders (id int);\n\n-- again\nCREATE TABLE orders (id int);\n';
    const one = await applyMigrations([file('002_dup.sql', dup)], options());
    expect(one.failed).toMatchObject({ name: '002_dup.sql', sqlstate: '42P07', line: 4 });
    expect(one.failed?.error).toMatch(/^migration 002_dup\.sql failed at line 4 \(SQLSTATE 42P07\)/);
    expect(await tableExists('orders')).toBe(false); // still all or nothing
    const div = await applyMigrations(
      [file('003_div.sql', 'CREATE TABLE t (id int);\nSELECT 1/0;\n')],
      options(),
    );
    expect(div.failed).toMatchObject({ sqlstate: '22012', line: 2 });
  });

  test('error lines count from the real file start (dbmate lineOffset)', async () => {
    const sql = 'CREATE TABLE a (id int);\n\nSELEC 1;\n';
    const result = await applyMigrations(
      [file('20240101_a.sql', sql, { layout: 'dbmate', lineOffset: 4 })],
      options(),
    );
    expect(result.failed).toMatchObject({ sqlstate: '42601', line: 7 });
  });

  test('a lock timeout is retried with backoff and succeeds once the holder lets go', async () => {
    await applyMigrations([THREE[0]!], options());
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    let released = false;
    const seen: string[] = [];
    const opts = options({
      lockTimeoutMs: 200,
      lockRetries: 5,
      retryBaseDelayMs: 100,
      log: (line) => {
        seen.push(line);
        // Let go during the backoff after the first timeout.
        if (/retrying/.test(line) && !released) {
          released = true;
          void holder.query('ROLLBACK');
        }
      },
    });
    const files = [THREE[0]!, file('002_add_name.sql', 'ALTER TABLE users ADD COLUMN name text;\n')];
    const result = await applyMigrations(files, opts);
    expect(result.failed).toBeUndefined();
    expect(result.applied).toHaveLength(1);
    expect(result.applied[0]).toMatchObject({ name: '002_add_name.sql', attempts: 2 });
    expect(seen).toContain(
      '002_add_name.sql: lock timeout (SQLSTATE 55P03) on attempt 1 of 6; retrying in 100 ms',
    );
    expect(seen).toContain(
      'applied 002_add_name.sql in ' + result.applied[0]!.durationMs + ' ms after 2 attempts',
    );
    const cols = await query(
      "SELECT 1 FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'name'",
    );
    expect(cols).toHaveLength(1);
  });

  test('a lock never released fails cleanly once the retries are exhausted', async () => {
    await applyMigrations([THREE[0]!], options());
    const holder = await connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
    const opts = options({ lockTimeoutMs: 200, lockRetries: 2, retryBaseDelayMs: 10 });
    const files = [THREE[0]!, file('002_add_name.sql', 'ALTER TABLE users ADD COLUMN name text;\n')];
    const started = Date.now();
    const result = await applyMigrations(files, opts);
    expect(Date.now() - started).toBeGreaterThanOrEqual(3 * 200);
    expect(result.applied).toEqual([]);
    expect(result.failed).toMatchObject({
      name: '002_add_name.sql',
      kind: 'lock-timeout',
      sqlstate: '55P03',
    });
    expect(result.failed?.error).toMatch(/lock timeout/);
    expect(result.failed?.error).toMatch(/gave up after 3 attempts \(lock-retries 2 exhausted\)/);
    expect(opts.lines.filter((l) => /retrying in/.test(l))).toEqual([
      '002_add_name.sql: lock timeout (SQLSTATE 55P03) on attempt 1 of 3; retrying in 10 ms',
      '002_add_name.sql: lock timeout (SQLSTATE 55P03) on attempt 2 of 3; retrying in 20 ms',
    ]);
    await holder.query('ROLLBACK');
    expect(await historyNames()).toEqual(['001_users.sql']);
  });

  test('other errors are never retried', async () => {
    const opts = options({ lockRetries: 5 });
    const result = await applyMigrations([file('001_bad.sql', 'SELECT * FROM missing_table;\n')], opts);
    expect(result.failed).toMatchObject({ sqlstate: '42P01', line: 1 });
    expect(opts.lines.some((l) => /retrying/.test(l))).toBe(false);
  });

  test('CREATE INDEX CONCURRENTLY runs outside a transaction and is recorded', async () => {
    const files = [
      THREE[0]!,
      file(
        '002_index.sql',
        '-- builds without blocking writes\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n' +
          'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_id_email_idx ON public.users (id, email);\n',
      ),
    ];
    const opts = options();
    const result = await applyMigrations(files, opts);
    expect(result.failed).toBeUndefined();
    expect(result.applied.map((a) => a.name)).toEqual(['001_users.sql', '002_index.sql']);
    expect(opts.lines.join('\n')).toMatch(/002_index\.sql: running outside a transaction/);
    const idx = await query<{ relname: string; valid: boolean }>(
      `SELECT c.relname, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname LIKE 'users_%_idx' ORDER BY 1`,
    );
    expect(idx).toEqual([
      { relname: 'users_email_idx', valid: true },
      { relname: 'users_id_email_idx', valid: true },
    ]);
    expect(await historyNames()).toEqual(['001_users.sql', '002_index.sql']);
  });

  test('a failed CREATE INDEX CONCURRENTLY leaves no invalid index behind', async () => {
    const files = [
      file('001_t.sql', "CREATE TABLE t (v text);\nINSERT INTO t VALUES ('x'), ('x');\n"),
      file('002_uniq.sql', 'CREATE UNIQUE INDEX CONCURRENTLY t_v_key ON t (v);\n'),
    ];
    const result = await applyMigrations(files, options());
    expect(result.failed).toMatchObject({ name: '002_uniq.sql', sqlstate: '23505' });
    expect(await tableExists('t_v_key')).toBe(false);
    expect(await historyNames()).toEqual(['001_t.sql']);
  });

  test('CONCURRENTLY inside a comment or string does not take the file out of its transaction', async () => {
    const sql =
      "CREATE TABLE notes (body text DEFAULT 'CONCURRENTLY');\n-- CONCURRENTLY would not be allowed here\n" +
      '/* nor CONCURRENTLY */ SELECT $$CONCURRENTLY;$$;\nSELECT 1/0;\n';
    const result = await applyMigrations([file('001_notes.sql', sql)], options());
    expect(result.failed).toMatchObject({ sqlstate: '22012' });
    // A run-time error carries no position: the line is where the failing statement starts.
    expect(result.failed?.line).toBe(4);
    // Ran as one transaction: the CREATE TABLE before the failure was rolled back.
    expect(await tableExists('notes')).toBe(false);
  });

  test("a file's own BEGIN … COMMIT wrapper is absorbed into the runner's transaction", async () => {
    const sql = 'BEGIN;\nCREATE TABLE w (id int);\nCOMMIT;\n';
    const ok = await applyMigrations([file('001_w.sql', sql)], options());
    expect(ok.failed).toBeUndefined();
    expect(await tableExists('w')).toBe(true);

    const inner = 'CREATE TABLE y (id int);\nCOMMIT;\nCREATE TABLE z (id int);\n';
    const bad = await applyMigrations([file('001_w.sql', sql), file('002_y.sql', inner)], options());
    expect(bad.failed).toMatchObject({ name: '002_y.sql', kind: 'invalid', line: 2 });
    expect(bad.failed?.error).toMatch(/transaction control \("COMMIT"\)/);
    expect(await tableExists('y')).toBe(false);
  });

  test('a file with DROP DATABASE is refused, not run outside a transaction', async () => {
    const { name: victim } = await freshDatabase('sd_keep_');
    const sql = `CREATE TABLE before_drop (id int);\n-- safe-deploy: allow drop-database\nDROP DATABASE ${victim};\n`;
    const result = await applyMigrations([file('001_drop.sql', sql)], options());
    expect(result.failed).toMatchObject({ name: '001_drop.sql', kind: 'invalid', line: 3 });
    expect(result.failed?.error).toMatch(/contains DROP DATABASE .*drop the database by hand/);
    expect(await tableExists('before_drop')).toBe(false);
    const still = await query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_database WHERE datname = $1',
      [victim],
    );
    expect(still[0]?.n).toBe(1);
    expect(await historyNames()).toEqual([]);
  });

  test('stray transaction control is refused with what is wrong with it', async () => {
    const result = await applyMigrations(
      [file('001_begin.sql', 'BEGIN;\nCREATE TABLE never_committed (id int);\n')],
      options(),
    );
    expect(result.failed).toMatchObject({ kind: 'invalid', line: 1 });
    expect(result.failed?.error).toMatch(/transaction control \("BEGIN;?"\): a BEGIN never committed/);
    expect(await tableExists('never_committed')).toBe(false);
  });

  test('two runners in parallel apply each file exactly once', async () => {
    const files = [
      file(
        '001_log.sql',
        'CREATE TABLE runs (file text PRIMARY KEY, at timestamptz DEFAULT clock_timestamp());\n',
      ),
      file('002_slow.sql', "SELECT pg_sleep(0.3);\nINSERT INTO runs (file) VALUES ('002');\n"),
      file('003_more.sql', "INSERT INTO runs (file) VALUES ('003');\n"),
    ];
    const a = options();
    const b = options();
    const [ra, rb] = await Promise.all([applyMigrations(files, a), applyMigrations(files, b)]);
    expect(ra.failed).toBeUndefined();
    expect(rb.failed).toBeUndefined();
    const names = [...ra.applied, ...rb.applied].map((x) => x.name).sort();
    expect(names).toEqual(['001_log.sql', '002_slow.sql', '003_more.sql']);
    expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, 3]);
    expect([...a.lines, ...b.lines].some((l) => /waiting for another migration run/.test(l))).toBe(true);
    expect(await query('SELECT file FROM runs ORDER BY file')).toEqual([{ file: '002' }, { file: '003' }]);
    expect(await historyNames()).toEqual(['001_log.sql', '002_slow.sql', '003_more.sql']);
  });

  test('a file changed after it was applied fails before anything is applied', async () => {
    await applyMigrations(THREE.slice(0, 2), options());
    const edited = file('002_orders.sql', 'CREATE TABLE orders (id bigserial PRIMARY KEY);\n');
    const files = [THREE[0]!, edited, file('003_new.sql', 'CREATE TABLE newer (id int);\n')];
    const result = await applyMigrations(files, options());
    expect(result.applied).toEqual([]);
    expect(result.failed).toMatchObject({ name: '002_orders.sql', kind: 'changed' });
    expect(result.failed?.error).toBe(
      `migration 002_orders.sql was changed after it was applied: expected sha256 ${THREE[1]!.checksum}, ` +
        `found ${edited.checksum}; add a new migration instead`,
    );
    expect(await tableExists('newer')).toBe(false);
    const plan = await planMigrations(files, { databaseUrl: dbUrl });
    expect(plan.checksumMismatch).toEqual([
      { name: '002_orders.sql', expected: THREE[1]!.checksum, actual: edited.checksum },
    ]);
  });

  test('newer migrations in the database (an older commit re-run) are reported and nothing is applied', async () => {
    await applyMigrations(THREE, options());
    const older = THREE.slice(0, 2);
    const plan = await planMigrations(older, { databaseUrl: dbUrl });
    expect(plan.unknownApplied.map((m) => m.name)).toEqual(['003_seed.sql']);
    expect(plan.unknownApplied[0]?.appliedAt).toBeInstanceOf(Date);
    expect(plan.pending).toEqual([]);

    // A deleted old file (sorting before the last file) is not "newer".
    const gap = await planMigrations([THREE[0]!, THREE[2]!], { databaseUrl: dbUrl });
    expect(gap.unknownApplied).toEqual([]);

    const opts = options();
    const withPending = [...older, file('002a_extra.sql', 'CREATE TABLE extra (id int);\n')];
    const result = await applyMigrations(withPending, opts);
    expect(result.applied).toEqual([]);
    expect(result.unknownApplied.map((m) => m.name)).toEqual(['003_seed.sql']);
    expect(opts.lines.join('\n')).toMatch(/newer than this commit's files \(003_seed\.sql\)/);
    expect(await tableExists('extra')).toBe(false);
  });

  test('a schema-qualified migrations table is created in that schema', async () => {
    const result = await applyMigrations(THREE.slice(0, 1), options({ table: 'Ops.Migrations' }));
    expect(result.applied).toHaveLength(1);
    expect(await historyNames('ops.migrations')).toEqual(['001_users.sql']);
    await expect(applyMigrations(THREE, options({ table: 'x; DROP TABLE users' }))).rejects.toThrow(
      /not a valid table name/,
    );
  });

  test('connection errors name host and database, never the password', async () => {
    const secret = 'hunter2-very-secret';
    const badPassword = `postgres://postgres:${secret}@127.0.0.1:5432/${dbName}`;
    const err1 = await applyMigrations(THREE, options({ databaseUrl: badPassword })).catch((e: Error) => e);
    expect(err1).toBeInstanceOf(Error);
    expect((err1 as Error).message).toMatch(
      new RegExp(`^cannot connect to PostgreSQL at 127\\.0\\.0\\.1:5432/${dbName}: `),
    );
    expect((err1 as Error).message).toMatch(/password authentication failed/);
    expect((err1 as Error).message).not.toContain(secret);

    const refused = `postgres://postgres:${secret}@127.0.0.1:1/${dbName}`;
    const err2 = await planMigrations(THREE, { databaseUrl: refused }).catch((e: Error) => e);
    expect((err2 as Error).message).toMatch(/^cannot connect to PostgreSQL at 127\.0\.0\.1:1\//);
    expect((err2 as Error).message).not.toContain(secret);
  });
});
