/**
 * Two figures for the migration lint:
 * - accuracy: recall on the dangerous cases and false-positive rate on the safe cases of the corpus
 *   kept in bench/lint-corpus (goal: 100 % and 0 %), and the same on squawk's own rule examples
 *   (__tests__/fixtures/migrations/squawk), with and without the deliberate differences;
 * - speed: lint 1,000 generated migrations of mixed, realistic content with the real code (layout
 *   discovery, the WebAssembly parser, every rule). Goal: ≤ 2 s.
 * Run from the repository root (bench/migration-lint.sh does):
 *
 *   npx ncc build bench/migration-lint.ts -o /tmp/lint-bench && bash scripts/copy-assets.sh /tmp/lint-bench && node /tmp/lint-bench/index.js
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readMigrations } from '../src/migrate/layout';
import { lintMigrations } from '../src/migrate/lint/lint';
import {
  corpusCases,
  lintCorpusCase,
  squawkCases,
  squawkDifferences,
  squawkFiring,
} from './lib/lint-material';

const FILES = Number(process.env.BENCH_FILES ?? 1000);

// A small deterministic PRNG so every run lints the same files.
let seed = 42;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)] as T;

const TYPES = [
  'bigint',
  'integer',
  'text',
  'varchar(255)',
  'boolean',
  'timestamptz',
  'numeric(12,2)',
  'jsonb',
  'uuid',
];

function createTable(t: string): string {
  const cols = Array.from(
    { length: 4 + rand(12) },
    (_, i) => `  col_${i} ${pick(TYPES)}${rand(3) ? '' : ' NOT NULL'}`,
  );
  return [
    `-- ${t}: one row per thing the app tracks`,
    `CREATE TABLE ${t} (`,
    '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
    ...cols.map((c) => `${c},`),
    `  created_at timestamptz NOT NULL DEFAULT now()`,
    ');',
    `CREATE INDEX ${t}_created ON ${t} (created_at);`,
  ].join('\n');
}

const CHANGES: ((t: string, i: number) => string)[] = [
  (t, i) => `ALTER TABLE ${t} ADD COLUMN extra_${i} text;`,
  (t, i) => `ALTER TABLE ${t} ADD COLUMN flag_${i} boolean NOT NULL DEFAULT false;`,
  (t, i) => `CREATE INDEX CONCURRENTLY ${t}_x${i} ON ${t} (col_1, col_2) WHERE col_3 IS NOT NULL;`,
  (t, i) => `CREATE INDEX ${t}_y${i} ON ${t} USING gin (col_4);`,
  (t, i) => `-- safe-deploy: allow drop-column\nALTER TABLE ${t} DROP COLUMN old_${i};`,
  (t, i) =>
    `ALTER TABLE ${t} ADD CONSTRAINT ${t}_c${i} CHECK (col_1 > 0) NOT VALID;\nALTER TABLE ${t} VALIDATE CONSTRAINT ${t}_c${i};`,
  (t, i) => `ALTER TABLE ${t} ADD CONSTRAINT ${t}_fk${i} FOREIGN KEY (col_2) REFERENCES users (id);`,
  (t) => `ALTER TABLE ${t} ALTER COLUMN col_1 SET NOT NULL;`,
  (t) => `ALTER TABLE ${t} ALTER COLUMN col_2 TYPE text;`,
  (t, i) =>
    `UPDATE ${t} SET col_3 = 'café ☕ ${i}' WHERE id IN (SELECT id FROM ${t} WHERE col_3 IS NULL LIMIT 1000);`,
  (t, i) =>
    `INSERT INTO settings (key, value) VALUES ('k${i}', '{"a": [1, 2, 3], "b": "x"}'::jsonb) ON CONFLICT (key) DO NOTHING;`,
  (t, i) =>
    [
      `CREATE OR REPLACE FUNCTION ${t}_touch_${i}() RETURNS trigger LANGUAGE plpgsql AS $$`,
      'BEGIN',
      '  NEW.updated_at := now(); -- a semicolon inside the body',
      '  RETURN NEW;',
      'END;',
      '$$;',
      `CREATE TRIGGER ${t}_touch_${i} BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION ${t}_touch_${i}();`,
    ].join('\n'),
  (t, i) => `CREATE VIEW ${t}_v${i} AS SELECT id, col_1 FROM ${t} WHERE col_2 IS NOT NULL;`,
  (t, i) => `ALTER TABLE ${t} ADD COLUMN token_${i} uuid DEFAULT gen_random_uuid();`,
  (t, i) => `ALTER TABLE ${t} RENAME COLUMN col_5 TO col_5_${i};`,
];

function migration(i: number): string {
  const parts: string[] = [`-- Migration ${i}: generated for the lint benchmark`];
  const t = `table_${i % 97}`;
  if (rand(4) === 0) parts.push(createTable(`${t}_n${i}`));
  const statements = 3 + rand(25);
  for (let s = 0; s < statements; s++) parts.push(pick(CHANGES)(t, i * 100 + s));
  const body = parts.join('\n\n') + '\n';
  // Every tenth file is a dbmate file: lint only sees the up section.
  return i % 10 === 0 ? `-- migrate:up\n${body}\n-- migrate:down\nSELECT 1;\n` : body;
}

const pct = (n: number, of: number): string => `${of ? ((100 * n) / of).toFixed(1) : '0.0'}%`;

async function accuracy(): Promise<void> {
  const repo = process.cwd();
  const results = await Promise.all(corpusCases(repo).map((c) => lintCorpusCase(c)));
  const dangerous = results.filter((r) => r.case.kind === 'dangerous');
  const safe = results.filter((r) => r.case.kind === 'safe');
  const caught = dangerous.filter((r) => r.right).length;
  const flagged = safe.filter((r) => !r.right);
  console.log(
    `corpus bench/lint-corpus: dangerous ${caught}/${dangerous.length} caught (recall ${pct(caught, dangerous.length)}), ` +
      `safe ${flagged.length}/${safe.length} flagged (false-positive rate ${pct(flagged.length, safe.length)})`,
  );
  for (const r of dangerous.filter((x) => !x.right))
    console.log(
      `  missed ${r.case.id}: expected ${r.case.expect}, got [${r.findings.map((f) => f.rule).join(', ')}]`,
    );
  for (const r of flagged)
    console.log(
      `  false positive ${r.case.id}: ${r.findings.map((f) => `${f.file}:${f.line} ${f.rule}`).join(', ')}`,
    );

  const cases = squawkCases(repo);
  const different = squawkDifferences(repo);
  const fired = await Promise.all(cases.map(async (c) => ({ c, hit: (await squawkFiring(c)).length > 0 })));
  const figures = (rows: typeof fired): string => {
    const bad = rows.filter((r) => r.c.verdict === 'err');
    const good = rows.filter((r) => r.c.verdict === 'ok');
    const badHit = bad.filter((r) => r.hit).length;
    const goodHit = good.filter((r) => r.hit).length;
    return `bad ${badHit}/${bad.length} caught (${pct(badHit, bad.length)}), good ${goodHit}/${good.length} flagged (${pct(goodHit, good.length)})`;
  };
  const good = cases.filter((c) => c.verdict === 'ok');
  const anyFinding = (await Promise.all(good.map((c) => squawkFiring(c, true)))).filter((r) => r.length > 0);
  console.log(
    `squawk's rule examples (${cases.length}), judged by the counterparts of each squawk rule: ${figures(fired)}; ` +
      `without the ${Object.keys(different).length} deliberate differences (differences.json): ${figures(fired.filter((r) => !different[r.c.id]))}; ` +
      `good examples with a finding of any rule: ${anyFinding.length}/${good.length} (${pct(anyFinding.length, good.length)})`,
  );
}

async function main(): Promise<void> {
  await accuracy();
  const dir = mkdtempSync(path.join(tmpdir(), 'safe-deploy-lint-bench-'));
  try {
    let bytes = 0;
    for (let i = 1; i <= FILES; i++) {
      const sql = migration(i);
      bytes += Buffer.byteLength(sql);
      writeFileSync(path.join(dir, `${String(i).padStart(5, '0')}_change.sql`), sql);
    }
    const t0 = performance.now();
    const files = await readMigrations(dir, dir);
    const t1 = performance.now();
    const findings = await lintMigrations(files);
    const t2 = performance.now();
    const mib = (process.resourceUsage().maxRSS / 1024).toFixed(0);
    const allowed = findings.filter((f) => f.allowed).length;
    // The generated SQL is all valid: a syntax error here means the generator (or the parser) broke.
    const syntax = findings.filter((f) => f.rule === 'syntax-error');
    if (syntax.length > 0) throw new Error(`unexpected syntax errors: ${JSON.stringify(syntax.slice(0, 3))}`);
    console.log(
      `read ${files.length} files (${(bytes / 1024 / 1024).toFixed(1)} MiB): ${((t1 - t0) / 1000).toFixed(2)} s; ` +
        `lint ${files.length} files: ${((t2 - t1) / 1000).toFixed(2)} s (${findings.length} findings, ${allowed} allowed), ` +
        `total ${((t2 - t0) / 1000).toFixed(2)} s, peak RSS ${mib} MiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
