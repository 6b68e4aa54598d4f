import { fileURLToPath } from 'node:url';
import { RULE_IDS } from '../../src/migrate/lint/rules';
import { corpusCases, lintCorpusCase } from '../../bench/lib/lint-material';

/** bench/lint-corpus, case by case: what bench/migration-lint reports as recall and false positives. */
const cases = corpusCases(fileURLToPath(new URL('../../', import.meta.url)));

test('the corpus has both kinds, and every dangerous case names a real rule', () => {
  expect(cases.filter((c) => c.kind === 'dangerous').length).toBeGreaterThanOrEqual(25);
  expect(cases.filter((c) => c.kind === 'safe').length).toBeGreaterThanOrEqual(25);
  for (const c of cases.filter((x) => x.kind === 'dangerous'))
    expect(RULE_IDS as readonly string[]).toContain(c.expect);
  for (const c of cases.filter((x) => x.kind === 'safe')) expect(c.expect).toBeUndefined();
});

test.each(cases.filter((c) => c.kind === 'dangerous').map((c) => [c.id, c.expect, c] as const))(
  '%s raises %s',
  async (_, rule, c) => {
    const { findings } = await lintCorpusCase(c);
    expect(findings.map((f) => f.rule)).toContain(rule);
  },
);

test.each(cases.filter((c) => c.kind === 'safe').map((c) => [c.id, c] as const))(
  '%s raises nothing',
  async (_, c) => {
    const { findings } = await lintCorpusCase(c);
    expect(findings.map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([]);
  },
);
