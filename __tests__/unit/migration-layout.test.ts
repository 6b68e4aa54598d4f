import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrations } from '../../src/migrate/layout';
import { lintMigrations } from '../../src/migrate/lint/lint';

const fixtures = fileURLToPath(new URL('../fixtures/migrations/', import.meta.url));
const repo = path.resolve(fixtures, '../../..');

describe('readMigrations: plain', () => {
  it('reads flat .sql files in filename order, skipping .down.sql, subfolders and other files', async () => {
    const files = await readMigrations('__tests__/fixtures/migrations/layout-plain', repo);
    expect(files.map((f) => f.name)).toEqual(['001_init.sql', '002_widen.up.sql', '010_index.sql']);
    expect(files.every((f) => f.layout === 'plain' && f.lineOffset === 0)).toBe(true);
  });

  it('gives absolute paths, working-dir-relative paths, the whole content and its sha256', async () => {
    const [first] = await readMigrations(path.join(fixtures, 'layout-plain'), repo);
    const abs = path.join(fixtures, 'layout-plain', '001_init.sql');
    const content = readFileSync(abs);
    expect(first).toEqual({
      name: '001_init.sql',
      path: abs,
      relPath: '__tests__/fixtures/migrations/layout-plain/001_init.sql',
      sql: content.toString('utf8'),
      lineOffset: 0,
      checksum: createHash('sha256').update(content).digest('hex'),
      layout: 'plain',
    });
  });

  it('resolves a relative dir against the working directory', async () => {
    const files = await readMigrations('layout-plain', fixtures);
    expect(files[0]?.relPath).toBe('layout-plain/001_init.sql');
  });
});

describe('readMigrations: dbmate', () => {
  it('takes only the up section and records where it starts', async () => {
    const files = await readMigrations(path.join(fixtures, 'layout-dbmate'), repo);
    expect(files.map((f) => [f.name, f.layout, f.lineOffset])).toEqual([
      ['20240101000000_create_users.sql', 'dbmate', 1],
      ['20240102000000_index_email.sql', 'dbmate', 3],
    ]);
    const second = files[1]!;
    expect(second.sql).toBe(
      'ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX users_email ON users (email);\n\n',
    );
    expect(second.sql).not.toContain('DROP');
    // The checksum covers the whole file, down section included.
    expect(second.checksum).toBe(createHash('sha256').update(readFileSync(second.path)).digest('hex'));
  });

  it('maps lint findings to lines of the real file', async () => {
    const files = await readMigrations(path.join(fixtures, 'layout-dbmate'), repo);
    const findings = await lintMigrations(files);
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      [
        'create-index-non-concurrent',
        '__tests__/fixtures/migrations/layout-dbmate/20240102000000_index_email.sql',
        5,
      ],
    ]);
    const lines = readFileSync(files[1]!.path, 'utf8').split('\n');
    expect(lines[4]).toMatch(/^CREATE INDEX users_email/);
  });

  it('runs to the end of the file without a down marker, and handles an up marker on the last line', async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, '1.sql'),
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n',
    );
    writeFileSync(path.join(dir, '2.sql'), 'SELECT 1;\n-- migrate:up');
    const files = await readMigrations(dir, dir);
    expect(files.map((f) => [f.layout, f.lineOffset, f.sql])).toEqual([
      ['dbmate', 1, 'CREATE INDEX CONCURRENTLY i ON t (a);\n'],
      ['dbmate', 2, ''],
    ]);
  });
});

describe('readMigrations: Prisma', () => {
  it('reads <folder>/migration.sql in folder order, named by folder', async () => {
    const files = await readMigrations(path.join(fixtures, 'layout-prisma'), repo);
    expect(files.map((f) => [f.name, f.layout])).toEqual([
      ['20240101000000_init/migration.sql', 'prisma'],
      ['20240110120000_add_email/migration.sql', 'prisma'],
      ['20240215093000_add_orders/migration.sql', 'prisma'],
    ]);
    expect(files[2]?.relPath).toBe(
      '__tests__/fixtures/migrations/layout-prisma/20240215093000_add_orders/migration.sql',
    );
  });
});

describe('readMigrations: Flyway', () => {
  it('orders V files by numeric version (1.2 < 1_5 < 1.10 < 2) and skips undo and repeatable files', async () => {
    const files = await readMigrations(path.join(fixtures, 'layout-flyway'), repo);
    expect(files.map((f) => f.name)).toEqual([
      'V1__init.sql',
      'V1.2__add_a.sql',
      'V1_5__add_b.sql',
      'V1.10__add_c.sql',
      'V2__add_d.sql',
    ]);
    expect(files.every((f) => f.layout === 'flyway')).toBe(true);
  });

  it('refuses two files with the same version (1.0 is 1)', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'V1__a.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, 'V1.0__b.sql'), 'SELECT 1;');
    await expect(readMigrations(dir, dir)).rejects.toThrow(/same version: V1.0__b.sql, V1__a.sql/);
  });
});

describe('readMigrations: errors and edge cases', () => {
  it('names a missing directory', async () => {
    await expect(readMigrations('db/nope', '/tmp')).rejects.toThrow(
      'migrations-dir "db/nope" does not exist (looked for /tmp/db/nope)',
    );
  });

  it('refuses a file as the directory', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'x.sql'), '');
    await expect(readMigrations('x.sql', dir)).rejects.toThrow(/is not a directory/);
  });

  it('returns nothing for an empty directory', async () => {
    await expect(readMigrations(tempDir(), '/')).resolves.toEqual([]);
  });

  it('refuses Prisma folders mixed with flat files', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, '20240101_init'));
    writeFileSync(path.join(dir, '20240101_init', 'migration.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, 'seed.sql'), 'SELECT 1;');
    await expect(readMigrations(dir, dir)).rejects.toThrow(/mixes Prisma migration folders/);
  });

  it('refuses Flyway names mixed with other flat files', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'V1__init.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, '002_more.sql'), 'SELECT 1;');
    await expect(readMigrations(dir, dir)).rejects.toThrow(
      /mixes Flyway files \(V1__init.sql\) with other .sql files/,
    );
  });

  it('strips a UTF-8 BOM from the SQL but not from the checksum', async () => {
    const dir = tempDir();
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('SELECT 1;\n')]);
    writeFileSync(path.join(dir, '1.sql'), bytes);
    const [file] = await readMigrations(dir, dir);
    expect(file?.sql).toBe('SELECT 1;\n');
    expect(file?.checksum).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'safe-deploy-layout-'));
  temps.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
