import type { AppliedMigration } from './history';
import type { MigrationFile, MigrationLayout } from './layout';

/** What a run would do, from this commit's files and the migrations table. Pure: no database. */
export interface PendingPlan {
  /** History rows of this commit's files, in file order. */
  applied: AppliedMigration[];
  /** Files with no history row, in file order. */
  pending: MigrationFile[];
  /**
   * History rows for files this commit doesn't have that sort after its last file: the database is
   * ahead of this commit (a re-run of an older commit). Nothing should be applied then.
   */
  unknownApplied: AppliedMigration[];
  /** Applied files whose content changed since: `expected` is the recorded sha256, `actual` the file's. */
  checksumMismatch: { name: string; expected: string; actual: string }[];
}

export function computePlan(files: MigrationFile[], history: AppliedMigration[]): PendingPlan {
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.name)) throw new Error(`two migration files share the name ${f.name}`);
    seen.add(f.name);
  }
  const byName = new Map(history.map((row) => [row.name, row]));
  const applied: AppliedMigration[] = [];
  const pending: MigrationFile[] = [];
  const checksumMismatch: PendingPlan['checksumMismatch'] = [];
  for (const file of files) {
    const row = byName.get(file.name);
    if (!row) {
      pending.push(file);
      continue;
    }
    applied.push(row);
    if (row.checksum !== file.checksum) {
      checksumMismatch.push({ name: file.name, expected: row.checksum, actual: file.checksum });
    }
  }
  const last = files[files.length - 1];
  // Rows sorting before the last file are files deleted or squashed since (nothing to do); rows
  // after it were added by a newer commit.
  const unknownApplied = history
    .filter((row) => !seen.has(row.name))
    .filter((row) => !last || compareNames(row.name, last.name, last.layout) > 0);
  return { applied, pending, unknownApplied, checksumMismatch };
}

/**
 * The order layout.ts applies files in: code-point order, except Flyway's numeric versions
 * (V2 < V10). Kept in step with layout.ts by hand; it only decides what counts as "newer".
 */
export function compareNames(a: string, b: string, layout: MigrationLayout): number {
  if (layout === 'flyway') {
    const va = flywayVersion(a);
    const vb = flywayVersion(b);
    if (va && vb) {
      for (let i = 0; i < Math.max(va.length, vb.length); i++) {
        const x = va[i] ?? 0n;
        const y = vb[i] ?? 0n;
        if (x !== y) return x < y ? -1 : 1;
      }
    }
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function flywayVersion(name: string): bigint[] | undefined {
  const raw = /^V(\d+(?:[._]\d+)*)__/i.exec(name)?.[1];
  return raw ? raw.split(/[._]/).map((p) => BigInt(p)) : undefined;
}
