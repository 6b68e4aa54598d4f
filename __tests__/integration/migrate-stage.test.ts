import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runAction, tempDir, visibleLog, type ActionRun, type RunOptions } from '../helpers/action';
import { adminQuery, databaseUrl, dropDatabases, freshDatabase, PG_HOST } from '../helpers/database';

// The migrate stage end to end: dist/index.js as the runner starts it, against the real PostgreSQL
// from scripts/services.sh. Every test gets its own database and workspace; no image, so build is
// skipped, and no gate commands, so gate has nothing to do.
const roles: string[] = [];

afterEach(() => dropDatabases());

afterAll(async () => {
  await dropDatabases();
  for (const role of roles.splice(0)) await adminQuery(`DROP ROLE IF EXISTS ${role}`);
});

const hex = (n = 6): string => crypto.randomBytes(n).toString('hex');

/** A fresh database; returns its name and a URL for it (as postgres unless given credentials). */
const freshDb = (credentials?: string): Promise<{ name: string; url: string }> =>
  freshDatabase('sd_stage_', credentials);

async function query<T extends pg.QueryResultRow>(db: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: databaseUrl(db) });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

async function tableExists(db: string, table: string): Promise<boolean> {
  const rows = await query<{ oid: string | null }>(db, `SELECT to_regclass('${table}')::oid AS oid`);
  return rows[0]?.oid != null;
}

async function history(db: string): Promise<{ name: string; backward_compatible: boolean | null }[]> {
  if (!(await tableExists(db, 'safe_deploy_migrations'))) return [];
  return query(db, 'SELECT name, backward_compatible FROM safe_deploy_migrations ORDER BY name');
}

/** A workspace (not a git repository) whose migrations/ holds exactly `files`. */
function workspace(files: Record<string, string>): string {
  const ws = tempDir('sd-ws-migrate-');
  fs.mkdirSync(path.join(ws, 'migrations'));
  writeMigrations(ws, files);
  return ws;
}

function writeMigrations(ws: string, files: Record<string, string>): void {
  for (const [name, sql] of Object.entries(files)) fs.writeFileSync(path.join(ws, 'migrations', name), sql);
}

function migrate(
  ws: string,
  url: string,
  inputs: Record<string, string> = {},
  opts: Omit<RunOptions, 'cwd' | 'inputs'> = {},
): Promise<ActionRun> {
  return runAction({
    ...opts,
    cwd: ws,
    inputs: { 'database-url': url, 'migrations-dir': 'migrations', ...inputs },
  });
}

type Stage = { name: string; status: string; detail: string };
const stageOf = (run: ActionRun, name: string): Stage | undefined =>
  (JSON.parse(run.outputs.stages ?? '[]') as Stage[]).find((s) => s.name === name);
const applied = (run: ActionRun): string[] =>
  JSON.parse(run.outputs['migrations-applied'] ?? 'null') as string[];

const USERS = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n';
const POSTS = 'CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint, body text);\n';
const TAGS = 'CREATE TABLE tags (id bigint PRIMARY KEY, label text);\n';
const ITEMS = 'CREATE TABLE items (id bigint PRIMARY KEY, name text, other text);\n';

/** "YYYY-MM-DD HH:MM" (UTC) and "Day HH:MM" for a moment. */
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const ymdhm = (d: Date): string => d.toISOString().slice(0, 16).replace('T', ' ');
const hhmm = (d: Date): string => d.toISOString().slice(11, 16);

/** A pull request event: lint only, never the database. */
const PULL_REQUEST = {
  eventName: 'pull_request',
  ref: 'refs/pull/1/merge',
  env: { GITHUB_HEAD_REF: 'feature/items' },
  event: {
    repository: { default_branch: 'main' },
    pull_request: {
      number: 1,
      base: { sha: 'a'.repeat(40), ref: 'main' },
      head: { ref: 'feature/items' },
    },
  },
};

describe('migrate stage through dist/index.js', () => {
  test('applies three plain files in order; a second run applies nothing', async () => {
    const db = await freshDb();
    const ws = workspace({ '001_users.sql': USERS, '002_posts.sql': POSTS, '003_tags.sql': TAGS });

    const first = await migrate(ws, db.url);
    expect(first.code).toBe(0);
    expect(applied(first)).toEqual(['001_users.sql', '002_posts.sql', '003_tags.sql']);
    expect(first.outputs['migration-findings']).toBe('0');
    expect(first.outputs.result).toBe('skipped');
    expect(stageOf(first, 'build')?.status).toBe('skipped');
    expect(stageOf(first, 'migrate')).toMatchObject({
      status: 'passed',
      detail: 'applied 3: 001_users.sql, 002_posts.sql, 003_tags.sql',
    });
    for (const t of ['users', 'posts', 'tags']) expect(await tableExists(db.name, t)).toBe(true);
    expect((await history(db.name)).map((h) => h.name)).toEqual([
      '001_users.sql',
      '002_posts.sql',
      '003_tags.sql',
    ]);
    expect(first.summary).toContain('### Migrations');
    expect(first.summary).toContain(
      'Pending (not yet recorded in safe_deploy_migrations): `001_users.sql`, `002_posts.sql`, `003_tags.sql`.',
    );
    expect(first.summary).toMatch(/\| Applied \| Time \| Attempts \|/);
    for (const f of ['001_users.sql', '002_posts.sql', '003_tags.sql'])
      expect(first.summary).toMatch(new RegExp(`\\| \`${f}\` \\| [^|]+ \\| 1 \\|`));
    expect(first.summary).toContain('Lint: no findings.');

    const second = await migrate(ws, db.url);
    expect(second.code).toBe(0);
    expect(applied(second)).toEqual([]);
    expect(stageOf(second, 'migrate')).toMatchObject({
      status: 'passed',
      detail: 'database already up to date',
    });
    expect(second.summary).toContain('Pending (not yet recorded in safe_deploy_migrations): none.');
    expect(second.summary).toContain('database already up to date');
    expect(second.summary).not.toContain('| Applied |');
    expect((await history(db.name)).length).toBe(3);
  });

  const BROKEN = 'CREATE TABLE two (id int);\nCREATE TABLE broken (id int,, x int);\n';

  test('a syntax error is a lint finding that blocks before anything is applied', async () => {
    const db = await freshDb();
    const ws = workspace({ '001_one.sql': 'CREATE TABLE one (id int);\n', '002_broken.sql': BROKEN });
    const run = await migrate(ws, db.url);
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(applied(run)).toEqual([]);
    expect(run.outputs['migration-findings']).toBe('1');
    expect(stageOf(run, 'migrate')).toMatchObject({
      status: 'failed',
      detail: '1 finding(s) in pending migrations block the deploy (migration-lint: error)',
    });
    expect(run.summary).toContain('`syntax-error`');
    expect(run.summary).toMatch(/\| migrations\/002_broken\.sql:2 \| `syntax-error` \|/);
    expect(run.stdout).toMatch(/::error title=syntax-error,file=migrations\/002_broken\.sql,line=2::/);
    // Nothing applied, not even the good first file; the migrations table was only read.
    expect(await tableExists(db.name, 'one')).toBe(false);
    expect(await tableExists(db.name, 'safe_deploy_migrations')).toBe(false);
  });

  test('with migration-lint off, file 1 is applied and the failing file 2 leaves no trace', async () => {
    const db = await freshDb();
    const ws = workspace({ '001_one.sql': 'CREATE TABLE one (id int);\n', '002_broken.sql': BROKEN });
    const run = await migrate(ws, db.url, { 'migration-lint': 'off' });
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(applied(run)).toEqual(['001_one.sql']);
    expect(run.outputs['migration-findings']).toBe('0');
    const stage = stageOf(run, 'migrate');
    expect(stage?.status).toBe('failed');
    expect(stage?.detail).toMatch(
      /^migration 002_broken\.sql failed at line 2 \(SQLSTATE 42601\): syntax error/,
    );
    expect(await tableExists(db.name, 'one')).toBe(true);
    expect(await tableExists(db.name, 'two')).toBe(false);
    expect(await tableExists(db.name, 'broken')).toBe(false);
    expect((await history(db.name)).map((h) => h.name)).toEqual(['001_one.sql']);
    expect(run.summary).toContain('**migrate failed:** migration 002_broken.sql failed at line 2');
    expect(run.summary).toContain('**Failed:** migration 002_broken.sql failed');
    expect(run.summary).toContain(
      'The database is exactly as it was before 002_broken.sql. 1 earlier file(s) were applied and stay.',
    );
    expect(run.stdout).toMatch(
      /::error title=Migration failed,file=migrations\/002_broken\.sql,line=2::migration 002_broken\.sql failed/,
    );
    expect(run.stdout).toContain('::error::migrate failed: migration 002_broken.sql failed at line 2');
  });

  describe('lint of a non-concurrent CREATE INDEX on an existing table', () => {
    const INDEX = 'CREATE INDEX items_name ON items (name);\n';

    /** A database where 001 (the table) is already applied, and a workspace with 002 added. */
    async function setUp(second: string): Promise<{ db: string; url: string; ws: string }> {
      const db = await freshDb();
      const ws = workspace({ '001_items.sql': ITEMS });
      const base = await migrate(ws, db.url);
      expect(applied(base)).toEqual(['001_items.sql']);
      writeMigrations(ws, { '002_index.sql': second });
      return { db: db.name, url: db.url, ws };
    }

    const indexExists = async (db: string): Promise<boolean> => tableExists(db, 'items_name');

    test('blocks with the rule, file:line and the safe alternative; nothing applied', async () => {
      const { db, url, ws } = await setUp(`-- an index for lookups\n${INDEX}`);
      const run = await migrate(ws, url);
      expect(run.code).toBe(1);
      expect(run.outputs['migration-findings']).toBe('1');
      expect(applied(run)).toEqual([]);
      expect(stageOf(run, 'migrate')?.status).toBe('failed');
      expect(run.summary).toContain('Pending (not yet recorded in safe_deploy_migrations): `002_index.sql`.');
      expect(run.summary).toContain('| Where | Rule | Why | Safe alternative |');
      expect(run.summary).toMatch(
        /\| migrations\/002_index\.sql:2 \| `create-index-non-concurrent` \| [^|]*blocks all writes[^|]*\| Use CREATE INDEX CONCURRENTLY/,
      );
      expect(run.summary).toContain('-- safe-deploy: allow <rule>');
      expect(run.stdout).toMatch(
        /::error title=create-index-non-concurrent,file=migrations\/002_index\.sql,line=2::.*Safe alternative: Use CREATE INDEX CONCURRENTLY/,
      );
      expect(await indexExists(db)).toBe(false);
      expect((await history(db)).map((h) => h.name)).toEqual(['001_items.sql']);
    });

    test('an allow comment on the line before lets it apply, shown as allowed', async () => {
      const { db, url, ws } = await setUp(`-- safe-deploy: allow create-index-non-concurrent\n${INDEX}`);
      const run = await migrate(ws, url);
      expect(run.code).toBe(0);
      expect(applied(run)).toEqual(['002_index.sql']);
      expect(run.outputs['migration-findings']).toBe('0');
      expect(run.summary).toMatch(
        /\| migrations\/002_index\.sql:2 \| `create-index-non-concurrent` \(allowed\) \|/,
      );
      expect(run.stdout).toMatch(
        /::notice title=Allowed%3A create-index-non-concurrent,file=migrations\/002_index\.sql,line=2::/,
      );
      expect(run.stdout).not.toMatch(/^::error/m);
      expect(await indexExists(db)).toBe(true);
    });

    test('migration-lint: warn applies it, counts the finding and annotates a warning', async () => {
      const { db, url, ws } = await setUp(INDEX);
      const run = await migrate(ws, url, { 'migration-lint': 'warn' });
      expect(run.code).toBe(0);
      expect(applied(run)).toEqual(['002_index.sql']);
      expect(run.outputs['migration-findings']).toBe('1');
      expect(run.summary).toMatch(/\| migrations\/002_index\.sql:1 \| `create-index-non-concurrent` \|/);
      expect(run.stdout).toMatch(
        /::warning title=create-index-non-concurrent,file=migrations\/002_index\.sql,line=1::/,
      );
      expect(await indexExists(db)).toBe(true);
    });
  });

  describe('migration-window', () => {
    const FILES = {
      '001_items.sql': ITEMS,
      '002_index.sql':
        '-- safe-deploy: allow create-index-non-concurrent\nCREATE INDEX items_name ON items (name);\n',
    };

    test('outside the window, an allowed lock-taking statement is blocked until the next window', async () => {
      const db = await freshDb();
      const ws = workspace(FILES);
      // A one-hour window starting three hours from now (to the minute), on that moment's weekday.
      const start = new Date(Date.now() + 3 * 3600_000);
      start.setUTCSeconds(0, 0);
      const end = new Date(start.getTime() + 3600_000);
      const window = `${DAY_NAMES[start.getUTCDay()]} ${hhmm(start)}-${hhmm(end)} UTC`;

      const run = await migrate(ws, db.url, { 'migration-window': window });
      expect(run.code).toBe(1);
      expect(applied(run)).toEqual([]);
      expect(run.outputs['migration-findings']).toBe('0');
      const expected = `the next window opens ${ymdhm(start)} UTC`;
      expect(stageOf(run, 'migrate')).toMatchObject({
        status: 'failed',
        detail: `1 lock-taking statement(s) may only run inside migration-window (${window}); ${expected}`,
      });
      expect(run.summary).toContain(expected);
      expect(run.summary).toContain(
        `Migration window \`${window}\`: closed; next opens ${ymdhm(start)} UTC (1 lock-taking statement(s)).`,
      );
      expect(run.stdout).toContain(`::error::migrate failed: 1 lock-taking statement(s)`);
      expect(run.stdout).toContain(expected);
      expect(await tableExists(db.name, 'items')).toBe(false);
      expect(await history(db.name)).toEqual([]);
    });

    test('inside the window it applies', async () => {
      const db = await freshDb();
      const ws = workspace(FILES);
      // Two hours around now; a window crossing midnight belongs to the day it starts on.
      const start = new Date(Date.now() - 3600_000);
      const end = new Date(start.getTime() + 2 * 3600_000);
      const window = `${DAY_NAMES[start.getUTCDay()]} ${hhmm(start)}-${hhmm(end)} UTC`;

      const run = await migrate(ws, db.url, { 'migration-window': window });
      expect(run.code).toBe(0);
      expect(applied(run)).toEqual(['001_items.sql', '002_index.sql']);
      expect(run.summary).toContain(`Migration window \`${window}\`: open now (1 lock-taking statement(s)).`);
      expect(await tableExists(db.name, 'items_name')).toBe(true);
    });
  });

  test('a re-run of an older commit leaves newer migrations and reports their compatibility', async () => {
    const db = await freshDb();
    const people = 'CREATE TABLE people (id bigint PRIMARY KEY, name text, nickname text);\n';
    const drop = '-- safe-deploy: allow drop-column\nALTER TABLE people DROP COLUMN nickname;\n';
    const newer = await migrate(
      workspace({ '001_people.sql': people, '002_drop_nickname.sql': drop }),
      db.url,
    );
    expect(newer.code).toBe(0);
    expect(applied(newer)).toEqual(['001_people.sql', '002_drop_nickname.sql']);
    expect(await history(db.name)).toEqual([
      { name: '001_people.sql', backward_compatible: true },
      { name: '002_drop_nickname.sql', backward_compatible: false },
    ]);

    const older = await migrate(workspace({ '001_people.sql': people }), db.url);
    expect(older.code).toBe(0);
    expect(applied(older)).toEqual([]);
    expect(stageOf(older, 'migrate')).toMatchObject({
      status: 'passed',
      detail:
        'database is ahead of this commit (a rollback): applied nothing; 1 newer migration(s) stay; 1 of them did not pass lint as backward compatible',
    });
    expect(older.summary).toContain('The database is ahead of this commit (a rollback)');
    expect(older.summary).toMatch(
      /\| `002_drop_nickname\.sql` \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \| \*\*no\*\* \|/,
    );
    // Nothing was undone.
    expect((await history(db.name)).length).toBe(2);
    const cols = await query<{ column_name: string }>(
      db.name,
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'people'",
    );
    expect(cols.map((c) => c.column_name).sort()).toEqual(['id', 'name']);
  });

  test('a pull request lints only and never touches the database', async () => {
    const db = await freshDb();
    const pr = PULL_REQUEST;
    const clean = await migrate(workspace({ '001_items.sql': ITEMS }), db.url, {}, pr);
    expect(clean.code).toBe(0);
    expect(clean.outputs.result).toBe('skipped');
    expect(applied(clean)).toEqual([]);
    const stage = stageOf(clean, 'migrate');
    expect(stage?.status).toBe('passed');
    expect(stage?.detail).toMatch(
      /^linted 1 pending migration\(s\); applied nothing: pull-request events never deploy/,
    );
    // Not a git repository: every file counts as pending, and the summary says why.
    expect(clean.summary).toMatch(
      /Pending \(all files \(git could not compare with a{12}[^)]*\)\): `001_items\.sql`/,
    );

    // A finding still fails the pull request, before review, without a database.
    const ws = workspace({
      '001_items.sql': ITEMS,
      '002_index.sql': 'CREATE INDEX items_name ON items (name);\n',
    });
    const bad = await migrate(ws, db.url, {}, pr);
    expect(bad.code).toBe(1);
    expect(bad.outputs['migration-findings']).toBe('1');
    expect(bad.summary).toContain('`create-index-non-concurrent`');

    expect(await tableExists(db.name, 'safe_deploy_migrations')).toBe(false);
    expect(await tableExists(db.name, 'items')).toBe(false);
  });

  test('transaction control and DROP DATABASE fail the pull request as the runner would refuse them', async () => {
    const db = await freshDb();
    const files = {
      '001_items.sql': ITEMS,
      '002_tx.sql': '-- safe-deploy: allow transaction-control\nBEGIN;\nCREATE TABLE t (id int);\n',
      '003_drop.sql': 'DROP DATABASE old_reports;\n',
    };
    const run = await migrate(workspace(files), db.url, {}, PULL_REQUEST);
    expect(run.code).toBe(1);
    // The built-in runner refuses both files whatever the comment says: neither counts as allowed.
    expect(run.outputs['migration-findings']).toBe('2');
    expect(run.stdout).toMatch(
      /::error title=transaction-control,file=migrations\/002_tx\.sql,line=2::A BEGIN never committed\./,
    );
    expect(run.stdout).toMatch(/::error title=drop-database,file=migrations\/003_drop\.sql,line=1::/);

    // With migrate-command applying the files, the allow comment counts.
    const own = await migrate(workspace(files), db.url, { 'migrate-command': 'true' }, PULL_REQUEST);
    expect(own.outputs['migration-findings']).toBe('1');
    expect(own.stdout).toMatch(
      /::notice title=Allowed%3A transaction-control,file=migrations\/002_tx\.sql,line=2::/,
    );
    expect(await tableExists(db.name, 'safe_deploy_migrations')).toBe(false);
  });

  test('migrate-command runs with DATABASE_URL; a non-zero exit fails the stage', async () => {
    const db = await freshDb();
    const ws = workspace({});
    const ok = await migrate(ws, db.url, {
      'migrations-dir': '',
      'migrate-command': `psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -c 'create table from_cmd(x int)'`,
    });
    expect(ok.code).toBe(0);
    expect(stageOf(ok, 'migrate')).toMatchObject({ status: 'passed', detail: 'migrate-command succeeded' });
    expect(await tableExists(db.name, 'from_cmd')).toBe(true);

    const failing = await migrate(ws, db.url, {
      'migrations-dir': '',
      'migrate-command': 'echo "migrating with $DATABASE_URL" && echo "boom: cannot migrate" >&2 && exit 7',
    });
    expect(failing.code).toBe(1);
    expect(stageOf(failing, 'migrate')).toMatchObject({
      status: 'failed',
      detail: 'migrate-command exited with code 7; deploy blocked',
    });
    expect(failing.summary).toContain('migrate-command exited with code 7');
    expect(failing.summary).toContain('boom: cannot migrate');
    // The command printed the URL; the summary (not masked by the runner) must not.
    expect(failing.summary).toContain('migrating with ***');
    expect(failing.summary).not.toContain(db.url);
  });

  test('dry-run lists the pending migrations and applies nothing', async () => {
    const db = await freshDb();
    const ws = workspace({ '001_users.sql': USERS, '002_posts.sql': POSTS });
    const run = await migrate(ws, db.url, { 'dry-run': 'true' });
    expect(run.code).toBe(0);
    expect(run.outputs.result).toBe('planned');
    expect(applied(run)).toEqual([]);
    expect(stageOf(run, 'migrate')).toMatchObject({
      status: 'passed',
      detail: 'would apply 2: 001_users.sql, 002_posts.sql',
    });
    expect(run.summary).toContain('Dry run');
    expect(run.summary).toContain(
      'Pending (not yet recorded in safe_deploy_migrations): `001_users.sql`, `002_posts.sql`.',
    );
    expect(await tableExists(db.name, 'users')).toBe(false);
    expect(await tableExists(db.name, 'safe_deploy_migrations')).toBe(false);
  });

  test('the database URL and its password appear nowhere, in a passing and a failing run', async () => {
    const role = `sd_secret_${hex(4)}`;
    const password = `Pw-${hex(12)}`;
    await adminQuery(`CREATE ROLE ${role} LOGIN SUPERUSER PASSWORD '${password}'`);
    roles.push(role);
    const db = await freshDb(`${role}:${password}`);
    const ws = workspace({ '001_users.sql': USERS });

    const leaks = (run: ActionRun, url: string): string[] => {
      const where = {
        log: visibleLog(run),
        outputs: fs.readFileSync(path.join(run.dir, 'output.txt'), 'utf8'),
        summary: run.summary,
      };
      return Object.entries(where)
        .filter(([, text]) => text.includes(password) || text.includes(url))
        .map(([name]) => name);
    };

    const ok = await migrate(ws, db.url);
    expect(ok.code).toBe(0);
    expect(applied(ok)).toEqual(['001_users.sql']);
    expect(ok.stdout).toContain(`::add-mask::${db.url}`);
    expect(leaks(ok, db.url)).toEqual([]);

    const missing = `sd_missing_${hex(4)}`;
    const badUrl = `postgres://${role}:${password}@${PG_HOST}/${missing}`;
    const failed = await migrate(ws, badUrl);
    expect(failed.code).toBe(1);
    expect(leaks(failed, badUrl)).toEqual([]);
    // The stage fails with a message naming host and database only (not a crash of the report).
    expect(stageOf(failed, 'migrate')?.status).toBe('failed');
    expect(stageOf(failed, 'migrate')?.detail).toContain(
      `cannot connect to PostgreSQL at ${PG_HOST}/${missing}`,
    );
    expect(failed.summary).toContain(`cannot connect to PostgreSQL at ${PG_HOST}/${missing}`);
  });

  test('a database-url that is not postgres fails in one line without printing it', async () => {
    const url = `mysql://app:My-${hex(8)}@127.0.0.1:3306/app`;
    const run = await migrate(workspace({ '001_users.sql': USERS }), url);
    expect(run.code).toBe(1);
    expect(run.outputs.result).toBe('failed');
    const line =
      "Input 'database-url' is (hidden: secret input): expected a postgres:// or postgresql:// URL.";
    expect(run.stdout).toContain(`::error::${line}`);
    expect(run.summary).toContain(line);
    const log = visibleLog(run);
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toContain(url);
    expect(run.summary).not.toContain(url);
    expect(fs.readFileSync(path.join(run.dir, 'output.txt'), 'utf8')).not.toContain(url);
  });
});
