/**
 * The material the migration lint is measured and tested on, read from the repository:
 * - bench/lint-corpus: our own corpus, one case per file (or per directory of migrations linted in
 *   order), `dangerous/NN-name.sql` with a `-- expect: <rule>` header, `safe/…` expecting nothing;
 * - __tests__/fixtures/migrations/squawk: squawk's own rule examples with squawk's verdict.
 * Shared by bench/migration-lint.ts (figures) and the unit tests (per-case assertions).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { MigrationFile } from '../../src/migrate/layout';
import { lintMigrations, type Finding } from '../../src/migrate/lint/lint';
import { RULE_IDS, RULES } from '../../src/migrate/lint/rules';

export const CORPUS_DIR = 'bench/lint-corpus';
export const SQUAWK_DIR = '__tests__/fixtures/migrations/squawk';

function migration(relPath: string, sql: string): MigrationFile {
  return {
    name: path.basename(relPath),
    path: relPath,
    relPath,
    sql,
    lineOffset: 0,
    checksum: '',
    layout: 'plain',
  };
}

export interface CorpusCase {
  /** e.g. `dangerous/04-default-user-function`. */
  id: string;
  kind: 'dangerous' | 'safe';
  /** The rule a dangerous case must raise. */
  expect?: string;
  files: MigrationFile[];
}

export function corpusCases(repoRoot: string): CorpusCase[] {
  const root = path.join(repoRoot, CORPUS_DIR);
  return (['dangerous', 'safe'] as const).flatMap((kind) =>
    readdirSync(path.join(root, kind))
      .sort()
      .map((entry) => {
        const full = path.join(root, kind, entry);
        const names = statSync(full).isDirectory()
          ? readdirSync(full)
              .filter((n) => n.endsWith('.sql'))
              .sort()
              .map((n) => path.join(entry, n))
          : [entry];
        const files = names.map((n) =>
          migration(`${kind}/${n}`, readFileSync(path.join(root, kind, n), 'utf8')),
        );
        const header = /^-- expect: (\S+)/m.exec(files[0]?.sql ?? '')?.[1];
        const id = `${kind}/${entry.replace(/\.sql$/, '')}`;
        return { id, kind, expect: header === 'none' ? undefined : header, files };
      }),
  );
}

export interface CorpusResult {
  case: CorpusCase;
  /** Unallowed findings. */
  findings: Finding[];
  /** Dangerous: the expected rule was raised. Safe: nothing was raised. */
  right: boolean;
}

export async function lintCorpusCase(c: CorpusCase): Promise<CorpusResult> {
  const findings = (await lintMigrations(c.files)).filter((f) => !f.allowed);
  const right = c.kind === 'dangerous' ? findings.some((f) => f.rule === c.expect) : findings.length === 0;
  return { case: c, findings, right };
}

export interface SquawkCase {
  id: string;
  squawkRule: string;
  verdict: 'ok' | 'err';
  sql: string;
}

/** Fixture directories are squawk's source file names; three differ from the rule's public name. */
const SQUAWK_NAME: Record<string, string> = {
  'adding-not-null-field': 'adding-not-nullable-field',
  'adding-primary-key-constraint': 'adding-serial-primary-key-field',
  'disallow-unique-constraint': 'disallowed-unique-constraint',
};

export function squawkCases(repoRoot: string): SquawkCase[] {
  const root = path.join(repoRoot, SQUAWK_DIR, 'cases');
  return readdirSync(root)
    .sort()
    .flatMap((dir) =>
      readdirSync(path.join(root, dir))
        .sort()
        .map((name) => {
          const sql = readFileSync(path.join(root, dir, name), 'utf8');
          const verdict = /^-- squawk: (ok|err)\b/m.exec(sql)?.[1] as 'ok' | 'err';
          return { id: `${dir}/${name}`, squawkRule: SQUAWK_NAME[dir] ?? dir, verdict, sql };
        }),
    );
}

/** Cases where safe-deploy deliberately judges otherwise than squawk: id → why. */
export function squawkDifferences(repoRoot: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(repoRoot, SQUAWK_DIR, 'differences.json'), 'utf8')) as Record<
    string,
    string
  >;
}

/** Our rules that accept the squawk rule's name. */
export function counterparts(squawkRule: string): string[] {
  return RULE_IDS.filter((id) => RULES[id].squawk.includes(squawkRule));
}

/**
 * The unallowed findings, among the squawk rule's counterparts, the lint raises on a case (with
 * `anyRule`, all of them: squawk's good example for one rule may well break another).
 */
export async function squawkFiring(c: SquawkCase, anyRule = false): Promise<string[]> {
  const ours = counterparts(c.squawkRule);
  const findings = await lintMigrations([migration(c.id, c.sql)]);
  return findings.filter((f) => !f.allowed && (anyRule || ours.includes(f.rule))).map((f) => f.rule);
}
