import pg from 'pg';
import type { MigrationFile } from '../../src/migrate/layout';
import { lintMigrations } from '../../src/migrate/lint/lint';
import { dropDatabases, freshDatabase } from '../helpers/database';

/**
 * The lint's judgement checked against PostgreSQL itself (the real server from scripts/services.sh):
 * - a column DEFAULT is reported as volatile exactly when PostgreSQL rewrites the table for it
 *   (the table gets a new relfilenode);
 * - SET NOT NULL is silent exactly when PostgreSQL says, at DEBUG1, that existing constraints
 *   prove the column has no NULLs and skips the scan.
 */
let client: pg.Client;

beforeAll(async () => {
  const { url } = await freshDatabase('sd_lintpg_');
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`
    CREATE FUNCTION myjsonb() RETURNS jsonb LANGUAGE plpgsql AS $$ BEGIN RETURN '{}'::jsonb; END $$;
    CREATE FUNCTION uuid() RETURNS uuid LANGUAGE sql AS $$ SELECT gen_random_uuid() $$;
    CREATE FUNCTION answer() RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT 42 $$;
    CREATE FUNCTION empty_jsonb() RETURNS jsonb LANGUAGE sql AS $$ SELECT '{}'::jsonb $$;
    CREATE SEQUENCE seq;`);
});

afterAll(async () => {
  await client.end();
  await dropDatabases();
});

const file = (sql: string, n = 1): MigrationFile => ({
  name: `00${n}.sql`,
  path: `/repo/db/00${n}.sql`,
  relPath: `db/00${n}.sql`,
  sql,
  lineOffset: 0,
  checksum: '',
  layout: 'plain',
});

async function relfilenode(table: string): Promise<string> {
  const res = await client.query<{ f: string }>(
    'SELECT relfilenode::text AS f FROM pg_class WHERE oid = $1::regclass',
    [table],
  );
  return res.rows[0]!.f;
}

let n = 0;

test.each([
  ['myjsonb()', 'jsonb'],
  ['uuid()', 'uuid'],
  ['gen_random_uuid()', 'uuid'],
  ['clock_timestamp()', 'timestamptz'],
  ['random()', 'float8'],
  ["nextval('seq')", 'bigint'],
  ['now()', 'timestamptz'],
  ["'x'", 'text'],
  ["lower('A')", 'text'],
  ["jsonb_build_object('a', 1)", 'jsonb'],
  ["to_char(now(), 'YYYY')", 'text'],
  ['txid_current()', 'bigint'],
  ['CURRENT_TIMESTAMP', 'timestamptz'],
])('DEFAULT %s: reported iff PostgreSQL rewrites the table', async (expr, type) => {
  const table = `d${++n}`;
  await client.query(`CREATE TABLE ${table} (id int); INSERT INTO ${table} SELECT generate_series(1, 100);`);
  const sql = `ALTER TABLE ${table} ADD COLUMN c ${type} DEFAULT ${expr};`;
  const before = await relfilenode(table);
  await client.query(sql);
  const rewritten = (await relfilenode(table)) !== before;
  const reported = (await lintMigrations([file(sql)])).some((f) => f.rule === 'add-column-volatile-default');
  expect({ expr, reported }).toEqual({ expr, reported: rewritten });
});

// The honest limit of linting files: how a function was declared, and its body, live in the
// database. PostgreSQL does not rewrite for an IMMUTABLE function, nor for a one-line SQL function
// it inlines into a constant; the lint, seeing neither, reports both (an allow comment says so).
test.each([
  ['answer()', 'int', 'declared IMMUTABLE'],
  ['empty_jsonb()', 'jsonb', 'a LANGUAGE sql body PostgreSQL inlines to a constant'],
])('DEFAULT %s (%s, %s): not rewritten, still reported', async (expr, type) => {
  const table = `d${++n}`;
  await client.query(`CREATE TABLE ${table} (id int); INSERT INTO ${table} VALUES (1);`);
  const sql = `ALTER TABLE ${table} ADD COLUMN c ${type} DEFAULT ${expr};`;
  const before = await relfilenode(table);
  await client.query(sql);
  expect(await relfilenode(table)).toBe(before);
  expect((await lintMigrations([file(sql)])).map((f) => f.rule)).toEqual(['add-column-volatile-default']);
});

/** Whether PostgreSQL proves the column NOT NULL from constraints (and skips the scan). */
async function skipsScan(sql: string): Promise<boolean> {
  const notices: string[] = [];
  const listen = (m: { message?: string }): void => {
    notices.push(m.message ?? '');
  };
  client.on('notice', listen);
  try {
    await client.query('SET client_min_messages = debug1');
    await client.query(sql);
  } finally {
    await client.query('RESET client_min_messages');
    client.off('notice', listen);
  }
  return notices.some((m) => /are sufficient to prove that it does not contain nulls/.test(m));
}

test.each([
  ['a validated CHECK (c IS NOT NULL)', 'CHECK (c IS NOT NULL) NOT VALID', true],
  ['a CHECK not validated', 'CHECK (c IS NOT NULL) NOT VALID', false],
  ["a validated CHECK (c IS NOT NULL AND c <> '')", "CHECK (c IS NOT NULL AND c <> '') NOT VALID", true],
  ['a validated CHECK (c IS NOT NULL OR id < 0)', 'CHECK (c IS NOT NULL OR id < 0) NOT VALID', true],
  ['a validated CHECK on another column', 'CHECK (id IS NOT NULL) NOT VALID', true],
])('SET NOT NULL after %s: silent iff PostgreSQL skips the scan', async (_, check, validate) => {
  const table = `s${++n}`;
  await client.query(`CREATE TABLE ${table} (id int, c text); INSERT INTO ${table} VALUES (1, 'a');`);
  const migrations = [`ALTER TABLE ${table} ADD CONSTRAINT ${table}_chk ${check};`];
  if (validate) migrations.push(`ALTER TABLE ${table} VALIDATE CONSTRAINT ${table}_chk;`);
  for (const m of migrations) await client.query(m);
  const setNotNull = `ALTER TABLE ${table} ALTER COLUMN c SET NOT NULL;`;
  const skipped = await skipsScan(setNotNull);
  const files = [...migrations, setNotNull].map((sql, i) => file(sql, i + 1));
  const findings = await lintMigrations(files);
  const reported = findings.some(
    (f) => f.file === files[files.length - 1]!.relPath && f.rule === 'set-not-null',
  );
  expect({ check, validate, reported }).toEqual({ check, validate, reported: !skipped });
});

/** The lock modes this session holds on `table`. */
async function locksOn(table: string): Promise<string[]> {
  const res = await client.query<{ mode: string }>(
    `SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND relation = $1::regclass ORDER BY mode`,
    [table],
  );
  return res.rows.map((r) => r.mode);
}

test.each([
  ['a CHECK', 'CHECK (id > 0)', 'AccessExclusiveLock'],
  ['a foreign key', 'FOREIGN KEY (id) REFERENCES parent (id)', 'ShareRowExclusiveLock'],
])(
  'validate-in-same-migration: after ADD %s NOT VALID, VALIDATE in the same file runs under %s',
  async (_, constraint, mode) => {
    const t = `v${++n}`;
    await client.query(
      `CREATE TABLE IF NOT EXISTS parent (id int PRIMARY KEY); CREATE TABLE ${t} (id int); INSERT INTO ${t} VALUES (1);`,
    );
    const add = `ALTER TABLE ${t} ADD CONSTRAINT ${t}_k ${constraint} NOT VALID;`;
    await client.query('BEGIN');
    try {
      await client.query(add);
      // What the runner's one transaction per file means for the VALIDATE that follows.
      expect(await locksOn(t)).toContain(mode);
    } finally {
      await client.query('ROLLBACK');
    }
    const findings = await lintMigrations([file(`${add}\nALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_k;`)]);
    expect(findings.map((f) => [f.rule, f.line])).toEqual([['validate-in-same-migration', 2]]);
  },
);
