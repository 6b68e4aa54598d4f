import { fileURLToPath } from 'node:url';
import { counterparts, squawkCases, squawkDifferences, squawkFiring } from '../../bench/lib/lint-material';

/**
 * squawk's own rule examples (bad `_err` and good `_ok` cases from its repository, extracted by
 * __tests__/fixtures/migrations/squawk/extract.mjs; each file names its source and commit). For
 * each squawk rule, the lint rules that accept its name in allow comments must fire on squawk's
 * bad cases and stay silent on its good ones, except where safe-deploy deliberately judges
 * otherwise (differences.json, each with the reason, asserted the other way round so a change shows).
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));
const cases = squawkCases(repo);
const DIFFERENT = squawkDifferences(repo);

test('the extracted material is all there, each case with its source and verdict', () => {
  expect(cases.length).toBeGreaterThanOrEqual(130);
  for (const c of cases) {
    expect(c.sql).toMatch(/^-- source: https:\/\/github\.com\/sbdchd\/squawk\/blob\/[0-9a-f]{40}\//);
    expect(['ok', 'err']).toContain(c.verdict);
  }
  expect(Object.keys(DIFFERENT).filter((id) => !cases.some((c) => c.id === id))).toEqual([]);
});

test('every squawk rule with examples here has a counterpart', () => {
  const rules = [...new Set(cases.map((c) => c.squawkRule))];
  expect(rules.filter((name) => counterparts(name).length === 0)).toEqual([]);
});

test.each(cases.filter((c) => c.verdict === 'err').map((c) => [c.id, c] as const))(
  'bad: %s is caught',
  async (id, c) => {
    const rules = await squawkFiring(c);
    if (DIFFERENT[id]) expect(rules).toEqual([]);
    else expect(rules.length).toBeGreaterThan(0);
  },
);

test.each(cases.filter((c) => c.verdict === 'ok').map((c) => [c.id, c] as const))(
  'good: %s passes',
  async (id, c) => {
    const rules = await squawkFiring(c);
    if (DIFFERENT[id]) expect(rules.length).toBeGreaterThan(0);
    else expect(rules).toEqual([]);
  },
);
