import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { lintMigrations } from '../../src/migrate/lint/lint';
import { RULE_IDS, RULES } from '../../src/migrate/lint/rules';

/**
 * squawk's own rule examples (bad `_err` and good `_ok` cases from its repository, extracted by
 * __tests__/fixtures/migrations/squawk/extract.mjs; each file names its source and commit). For
 * each squawk rule, the lint rules that accept its name in allow comments must fire on squawk's
 * bad cases and stay silent on its good ones, except where safe-deploy deliberately judges
 * otherwise (DIFFERENT, each with the reason, and asserted the other way round so a change shows).
 */
const root = fileURLToPath(new URL('../fixtures/migrations/squawk/cases/', import.meta.url));

/** Fixture directories are squawk's source file names; three differ from the rule's public name. */
const SQUAWK_NAME: Record<string, string> = {
  'adding-not-null-field': 'adding-not-nullable-field',
  'adding-primary-key-constraint': 'adding-serial-primary-key-field',
  'disallow-unique-constraint': 'disallowed-unique-constraint',
};

const DIFFERENT: Record<string, string> = {
  'adding-field-with-default/default_random_with_args_err.sql':
    'now(123) does not exist (PostgreSQL rejects the migration); the lint checks function names, not argument counts',
  'adding-field-with-default/docs_example_error_on_pg_11.sql':
    'a constant default before PostgreSQL 11; the lint assumes PostgreSQL 11+ (fast defaults)',
  'constraint-missing-not-valid/adding_check_constraint_ok.sql':
    'NOT VALID then VALIDATE in one file: safe-deploy runs a file in one transaction, so the VALIDATE scans under the ADD lock',
  'constraint-missing-not-valid/adding_fk_not_valid_ok.sql': 'NOT VALID then VALIDATE in one file (as above)',
  'adding-not-null-field/pg11_cross_migration_validate_then_set_not_null_err.sql':
    'PostgreSQL 11 cannot use a CHECK to skip the scan; the lint assumes PostgreSQL 12+',
  'adding-not-null-field/regression_gh_issue_628_pg11_with_validated_check_err.sql':
    'PostgreSQL 11 (as above)',
  'ban-concurrent-index-creation-in-transaction/assuming_in_transaction_err.sql':
    'the built-in runner runs a file with CONCURRENTLY statement by statement, outside a transaction',
  'ban-truncate-cascade/ok.sql':
    'every TRUNCATE is reported: it takes an ACCESS EXCLUSIVE lock and empties a table the previous version uses',
  'ban-uncommitted-transaction/nested_begin_only_last_uncommitted_err.sql':
    'a nested BEGIN is refused by the runner (squawk reports it as transaction-nesting instead)',
  'ban-uncommitted-transaction/rolled_back_transaction_ok.sql':
    'the runner refuses a ROLLBACK inside a file: it would end its transaction before the file is recorded',
  'transaction-nesting/no_nesting_repeated_ok.sql':
    'two BEGIN … COMMIT blocks in one file: the runner refuses the inner COMMIT/BEGIN',
  'prefer-repack/cluster_below_pg19_ok.sql':
    'CLUSTER locks the table on every version; pg_repack is the alternative before PostgreSQL 19',
  'prefer-repack/vacuum_full_below_pg19_ok.sql': 'VACUUM FULL locks the table on every version (as above)',
};

interface Case {
  id: string;
  squawkRule: string;
  verdict: 'ok' | 'err';
  sql: string;
}

const cases: Case[] = readdirSync(root).flatMap((dir) =>
  readdirSync(path.join(root, dir)).map((name) => {
    const sql = readFileSync(path.join(root, dir, name), 'utf8');
    const verdict = /^-- squawk: (ok|err)\b/m.exec(sql)?.[1] as 'ok' | 'err';
    return { id: `${dir}/${name}`, squawkRule: SQUAWK_NAME[dir] ?? dir, verdict, sql };
  }),
);

async function firing(c: Case): Promise<string[]> {
  const ours = RULE_IDS.filter((id) => RULES[id].squawk.includes(c.squawkRule));
  const findings = await lintMigrations([
    { name: 'm.sql', path: c.id, relPath: c.id, sql: c.sql, lineOffset: 0, checksum: '', layout: 'plain' },
  ]);
  return findings.filter((f) => !f.allowed && (ours as string[]).includes(f.rule)).map((f) => f.rule);
}

test('the extracted material is all there, each case with its source and verdict', () => {
  expect(cases.length).toBeGreaterThanOrEqual(130);
  for (const c of cases) {
    expect(c.sql).toMatch(/^-- source: https:\/\/github\.com\/sbdchd\/squawk\/blob\/[0-9a-f]{40}\//);
    expect(['ok', 'err']).toContain(c.verdict);
  }
  expect(Object.keys(DIFFERENT).filter((id) => !cases.some((c) => c.id === id))).toEqual([]);
});

test('every squawk rule with examples here has a counterpart', () => {
  const unmapped = [...new Set(cases.map((c) => c.squawkRule))].filter(
    (name) => !RULE_IDS.some((id) => RULES[id].squawk.includes(name)),
  );
  expect(unmapped).toEqual([]);
});

test.each(cases.filter((c) => c.verdict === 'err').map((c) => [c.id, c] as const))(
  'bad: %s is caught',
  async (id, c) => {
    const rules = await firing(c);
    if (DIFFERENT[id]) expect(rules).toEqual([]);
    else expect(rules.length).toBeGreaterThan(0);
  },
);

test.each(cases.filter((c) => c.verdict === 'ok').map((c) => [c.id, c] as const))(
  'good: %s passes',
  async (id, c) => {
    const rules = await firing(c);
    if (DIFFERENT[id]) expect(rules.length).toBeGreaterThan(0);
    else expect(rules).toEqual([]);
  },
);
