import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Finding the migrations in `migrations-dir` and the order they apply in. Four layouts:
 * - plain: flat `*.sql`, in filename order (plain code-point order, not locale order, so every
 *   machine agrees). `*.down.sql` files (golang-migrate style pairs) are skipped: applying a down
 *   migration right after its up one would undo it.
 * - dbmate: a flat file with a `-- migrate:up` line; only the part between it and `-- migrate:down`
 *   is run and linted.
 * - Prisma: `<dir>/<folder>/migration.sql`, in folder-name order.
 * - Flyway: `V<version>__<desc>.sql`, in numeric version order (1.2 < 1.10; `_` separates version
 *   parts too, as in Flyway). Undo (`U…`) and repeatable (`R__…`) files are skipped: the built-in
 *   runner has no notion of them.
 * Mixing Prisma folders or Flyway names with other flat `.sql` files is an error: the apply order
 * would be a guess, and a wrong guess on a production database is worse than a clear stop.
 */

export type MigrationLayout = 'plain' | 'dbmate' | 'prisma' | 'flyway';

export interface MigrationFile {
  /** Stable id used in the migrations table, e.g. `001_init.sql` or `20240101_init/migration.sql`. */
  name: string;
  /** Absolute path. */
  path: string;
  /** Relative to the working directory, `/`-separated, for annotations. */
  relPath: string;
  /** The SQL to run and lint: for dbmate only the up section. */
  sql: string;
  /** 0-based line of the file where `sql` starts, so finding lines map to the real file. */
  lineOffset: number;
  /** sha256 hex of the full file content. */
  checksum: string;
  layout: MigrationLayout;
}

const FLYWAY_VERSIONED = /^V(\d+(?:[._]\d+)*)__.+\.sql$/i;
const FLYWAY_OTHER = /^(?:U\d+(?:[._]\d+)*|R)__.+\.sql$/i;
const DBMATE_UP = /^[ \t]*--[ \t]*migrate:up\b/;
const DBMATE_DOWN = /^[ \t]*--[ \t]*migrate:down\b/;

export async function readMigrations(dir: string, workingDirectory: string): Promise<MigrationFile[]> {
  const cwd = path.resolve(workingDirectory);
  const root = path.resolve(cwd, dir);
  const rootStat = await fs.stat(root).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') {
      throw new Error(`migrations-dir "${dir}" does not exist (looked for ${root})`, { cause: err });
    }
    throw err;
  });
  if (!rootStat.isDirectory()) throw new Error(`migrations-dir "${dir}" is not a directory (${root})`);

  const { flat, prismaFolders } = await listEntries(root);
  if (prismaFolders.length > 0) {
    if (flat.length > 0) {
      throw new Error(
        `migrations-dir "${dir}" mixes Prisma migration folders (${prismaFolders[0]}/migration.sql) ` +
          `with flat .sql files (${flat[0]}): keep one layout so the apply order is unambiguous`,
      );
    }
    const names = [...prismaFolders].sort(byCodePoint).map((f) => `${f}/migration.sql`);
    return Promise.all(names.map((name) => readOne(root, cwd, name, 'prisma')));
  }

  const versioned = flat.filter((f) => FLYWAY_VERSIONED.test(f));
  if (versioned.length > 0) {
    const others = flat.filter((f) => !FLYWAY_VERSIONED.test(f) && !FLYWAY_OTHER.test(f));
    if (others.length > 0) {
      throw new Error(
        `migrations-dir "${dir}" mixes Flyway files (${versioned[0]}) with other .sql files ` +
          `(${others[0]}): keep one naming scheme so the apply order is unambiguous`,
      );
    }
    return Promise.all(sortFlyway(dir, versioned).map((name) => readOne(root, cwd, name, 'flyway')));
  }

  const plain = flat.filter((f) => !/\.down\.sql$/i.test(f)).sort(byCodePoint);
  return Promise.all(plain.map((name) => readOne(root, cwd, name, 'plain')));
}

async function listEntries(root: string): Promise<{ flat: string[]; prismaFolders: string[] }> {
  const flat: string[] = [];
  const prismaFolders: string[] = [];
  for (const entry of await fs.readdir(root, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    // stat (not the dirent type) so symlinked files and folders count like real ones.
    const full = path.join(root, entry.name);
    const st = await fs.stat(full).catch(() => undefined);
    if (st?.isFile() && /\.sql$/i.test(entry.name)) flat.push(entry.name);
    else if (st?.isDirectory()) {
      const inner = await fs.stat(path.join(full, 'migration.sql')).catch(() => undefined);
      if (inner?.isFile()) prismaFolders.push(entry.name);
    }
  }
  return { flat, prismaFolders };
}

function sortFlyway(dir: string, names: string[]): string[] {
  const keyed = names.map((name) => ({ name, version: flywayVersion(name) }));
  keyed.sort((a, b) => compareVersions(a.version, b.version) || byCodePoint(a.name, b.name));
  for (let i = 1; i < keyed.length; i++) {
    const prev = keyed[i - 1]!;
    const cur = keyed[i]!;
    if (compareVersions(prev.version, cur.version) === 0) {
      throw new Error(
        `migrations-dir "${dir}" has two Flyway migrations with the same version: ${prev.name}, ${cur.name}`,
      );
    }
  }
  return keyed.map((k) => k.name);
}

/** `V1_2__x.sql` → [1n, 2n]. Trailing zero parts are dropped: Flyway treats 1.0 and 1 as the same version. */
function flywayVersion(name: string): bigint[] {
  const raw = FLYWAY_VERSIONED.exec(name)?.[1] ?? '0';
  const parts = raw.split(/[._]/).map((p) => BigInt(p));
  while (parts.length > 1 && parts[parts.length - 1] === 0n) parts.pop();
  return parts;
}

function compareVersions(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0n;
    const y = b[i] ?? 0n;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readOne(
  root: string,
  cwd: string,
  name: string,
  layout: MigrationLayout,
): Promise<MigrationFile> {
  const abs = path.join(root, ...name.split('/'));
  const bytes = await fs.readFile(abs);
  const checksum = createHash('sha256').update(bytes).digest('hex');
  // A BOM is an editor artefact, not SQL: PostgreSQL's parser would reject it.
  const content = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const relPath = path.relative(cwd, abs).split(path.sep).join('/');
  const base = { name, path: abs, relPath, checksum };
  if (layout === 'plain') {
    const up = dbmateUpSection(content);
    if (up) return { ...base, ...up, layout: 'dbmate' };
  }
  return { ...base, sql: content, lineOffset: 0, layout };
}

/** The `-- migrate:up` … `-- migrate:down` section of a dbmate file, or undefined when it has no up marker. */
function dbmateUpSection(content: string): { sql: string; lineOffset: number } | undefined {
  const starts = [0];
  for (let i = content.indexOf('\n'); i >= 0; i = content.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (n: number): string => content.slice(starts[n], (starts[n + 1] ?? content.length + 1) - 1);
  const up = starts.findIndex((_, n) => DBMATE_UP.test(lineAt(n)));
  if (up < 0) return undefined;
  let down = starts.length;
  for (let n = up + 1; n < starts.length; n++) {
    if (DBMATE_DOWN.test(lineAt(n))) {
      down = n;
      break;
    }
  }
  const from = starts[up + 1] ?? content.length;
  const to = starts[down] ?? content.length;
  return { sql: content.slice(from, Math.max(from, to)), lineOffset: up + 1 };
}
