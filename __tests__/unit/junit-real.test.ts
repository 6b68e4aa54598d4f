// JUnit reports written by the real tools (see __tests__/fixtures/gate/real/README.md for how each
// was made, or where it comes from), with the counts the tools themselves state.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseJUnit, readJUnitFile } from '../../src/gate/junit';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/gate/real/junit');

interface Expected {
  total: number;
  failed: number;
  skipped: number;
  flaky: number;
  failedNames: string[];
  flakyNames: string[];
  /** Count mismatches reported, and whether any blocks the gate. */
  mismatches: number;
  blocking: boolean;
}

const cases: [string, Expected][] = [
  // jest: 1 failed, 1 skipped, 1 todo (written as a bare testcase), 1 passed; the suite says tests=3.
  [
    'jest-junit.xml',
    {
      total: 4,
      failed: 1,
      skipped: 1,
      flaky: 0,
      failedNames: ['cart applies a discount code'],
      flakyNames: [],
      mismatches: 2,
      blocking: false,
    },
  ],
  // pytest: "1 failed, 2 passed, 1 skipped, 1 xfailed, 1 error, 5 rerun".
  [
    'pytest-rerunfailures.xml',
    {
      total: 6,
      failed: 2,
      skipped: 2,
      flaky: 1,
      failedNames: ['test_refund_over_limit', 'test_with_db'],
      flakyNames: ['test_flaky'],
      mismatches: 0,
      blocking: false,
    },
  ],
  // gotestsum: "3 runs, 7 tests, 1 skipped, 4 failures": TestLabelWrong failed 3 times, TestFlaky passed on its rerun.
  [
    'gotestsum-rerun-fails.xml',
    {
      total: 4,
      failed: 1,
      skipped: 1,
      flaky: 1,
      failedNames: ['TestLabelWrong'],
      flakyNames: ['TestFlaky'],
      mismatches: 0,
      blocking: false,
    },
  ],
  // Surefire with rerunFailingTestsCount=2: flakyFailure and flakyError pass, rerunFailure stays failed.
  [
    'surefire-rerun-TEST-acme.InvoiceTest.xml',
    {
      total: 6,
      failed: 1,
      skipped: 1,
      flaky: 2,
      failedNames: ['labelsWrong'],
      flakyNames: ['flaky', 'flakyError'],
      mismatches: 1,
      blocking: false,
    },
  ],
  // @BeforeAll threw: a nameless testcase, named after its class.
  [
    'surefire-TEST-acme.BrokenInitTest.xml',
    {
      total: 1,
      failed: 1,
      skipped: 0,
      flaky: 0,
      failedNames: ['acme.BrokenInitTest'],
      flakyNames: [],
      mismatches: 0,
      blocking: false,
    },
  ],
  // Ant: the class could not be loaded: <error> right under <testsuite>, no <testcase>.
  [
    'ant-TEST-acme.LedgerTest-class-not-found.xml',
    {
      total: 1,
      failed: 1,
      skipped: 0,
      flaky: 0,
      failedNames: ['acme.LedgerTest'],
      flakyNames: [],
      mismatches: 0,
      blocking: false,
    },
  ],
  // Ant: @BeforeClass threw; the suite says tests=0 errors=1.
  [
    'ant-TEST-acme.RatesTest-beforeclass.xml',
    {
      total: 1,
      failed: 1,
      skipped: 0,
      flaky: 0,
      failedNames: ['acme.RatesTest'],
      flakyNames: [],
      mismatches: 1,
      blocking: false,
    },
  ],
  // tst: 31 tests, 19 failures + 1 error, 5 disabled.
  [
    'tst-disabled.xml',
    {
      total: 31,
      failed: 20,
      skipped: 5,
      flaky: 0,
      failedNames: expect.arrayContaining([
        'test_which_throws_unknown_exception',
        'check_ne_print',
      ]) as unknown as string[],
      flakyNames: [],
      mismatches: 0,
      blocking: false,
    },
  ],
];

const summarise = (r: Awaited<ReturnType<typeof readJUnitFile>>): Expected => ({
  total: r.total,
  failed: r.failed,
  skipped: r.skipped,
  flaky: r.flaky,
  failedNames: r.failures.map((f) => f.name),
  flakyNames: r.flakyTests.map((f) => f.name),
  mismatches: r.mismatches.length,
  blocking: r.mismatches.some((m) => m.blocking),
});

describe('JUnit reports written by the real tools', () => {
  test.each(cases)('%s streamed from disk', async (file, expected) => {
    const report = await readJUnitFile(path.join(dir, file), `reports/${file}`);
    expect(summarise(report)).toEqual(expected);
    expect(report.failed).toBe(report.failures.length);
    for (const f of report.failures) expect(f.reportFile).toBe(`reports/${file}`);
  });

  test.each(cases)('%s read from memory gives the same', (file, expected) => {
    expect(summarise(parseJUnit(fs.readFileSync(path.join(dir, file), 'utf8'), file))).toEqual(expected);
  });

  test('every fixture in the directory is in the table', () => {
    expect(fs.readdirSync(dir).sort()).toEqual(cases.map(([f]) => f).sort());
  });

  test('a flaky test keeps the first failed attempt and how many failed', async () => {
    const surefire = await readJUnitFile(path.join(dir, 'surefire-rerun-TEST-acme.InvoiceTest.xml'), 'r.xml');
    expect(surefire.flakyTests).toEqual([
      expect.objectContaining({
        name: 'flaky',
        classname: 'acme.InvoiceTest',
        failedAttempts: 1,
        message: 'first attempt fails',
      }),
      expect.objectContaining({ name: 'flakyError', failedAttempts: 1, message: 'connection reset' }),
    ]);
    const go = await readJUnitFile(path.join(dir, 'gotestsum-rerun-fails.xml'), 'r.xml');
    expect(go.flakyTests[0]).toMatchObject({
      name: 'TestFlaky',
      classname: 'example.com/shop',
      failedAttempts: 1,
    });
  });

  test('the suite-level Ant error carries its message and stack', async () => {
    const ant = await readJUnitFile(path.join(dir, 'ant-TEST-acme.LedgerTest-class-not-found.xml'), 'r.xml');
    expect(ant.failures[0]).toMatchObject({ name: 'acme.LedgerTest', message: 'acme.LedgerTest' });
    expect(ant.failures[0]?.details).toMatch(/^java\.lang\.ClassNotFoundException: acme\.LedgerTest/);
  });
});
