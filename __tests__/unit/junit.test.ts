import { readFileSync } from 'node:fs';
import { JUnitFormatError, mergeReports, parseJUnit, readJUnitFile } from '../../src/gate/junit';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/gate/${name}`, import.meta.url), 'utf8');

describe('parseJUnit: jest-junit', () => {
  const report = parseJUnit(fixture('jest-junit.xml'), 'reports/jest-junit.xml');

  it('counts testcases across suites', () => {
    expect(report).toMatchObject({ total: 7, failed: 2, skipped: 1 });
    expect(report.failures).toHaveLength(2);
  });

  it('takes the message from the first line of the text when there is no message attribute', () => {
    const [assertion, suite] = report.failures;
    expect(assertion).toMatchObject({
      name: 'cart applies a discount code',
      classname: 'cart applies a discount code',
      file: 'src/__tests__/cart.test.ts',
      message: 'Error: expect(received).toBe(expected) // Object.is equality',
      reportFile: 'reports/jest-junit.xml',
    });
    expect(assertion?.line).toBeUndefined();
    // Entities in the stack are decoded.
    expect(assertion?.details).toContain(
      'at Object.<anonymous> (/home/runner/work/web/web/src/__tests__/cart.test.ts:27:31)',
    );
    expect(assertion?.details).toContain('at new Promise (<anonymous>)');

    expect(suite).toMatchObject({
      name: 'src/__tests__/checkout.test.ts',
      classname: 'Test suite failed to run',
      message: '● Test suite failed to run',
    });
    expect(suite?.details).toContain("Cannot find module '../checkout'");
  });
});

describe('parseJUnit: pytest', () => {
  const report = parseJUnit(fixture('pytest-junit.xml'), 'pytest.xml');

  it('counts <error> as failed and <skipped> as skipped', () => {
    expect(report).toMatchObject({ total: 5, failed: 2, skipped: 1 });
  });

  it('reads file, 1-based line and the first line of a multi-line message attribute', () => {
    expect(report.failures[0]).toEqual({
      name: 'test_refund_over_limit',
      classname: 'tests.test_orders',
      file: 'tests/test_orders.py',
      line: 25, // pytest writes the 0-based line 24 of the `def`
      message: 'AssertionError: assert 402 == 400',
      details: expect.stringContaining('>       assert resp.status_code == 400'),
      reportFile: 'pytest.xml',
    });
  });

  it('reports a setup <error> with its message attribute, quotes decoded', () => {
    expect(report.failures[1]).toMatchObject({
      name: 'test_cancel_order',
      classname: 'tests.test_orders',
      file: 'tests/test_orders.py',
      line: 32,
      message: 'failed on setup with "psycopg.OperationalError: connection failed: Connection refused"',
    });
    expect(report.failures[1]?.details).toMatch(/^@pytest\.fixture\n/);
    expect(report.failures[1]?.details).toMatch(/tests\/conftest\.py:14: OperationalError$/);
  });
});

describe('parseJUnit: Maven surefire', () => {
  const report = parseJUnit(
    fixture('TEST-com.acme.billing.InvoiceTest.xml'),
    'target/surefire-reports/TEST-x.xml',
  );

  it('reads a bare <testsuite> root; a flaky test that passed on rerun is not a failure', () => {
    expect(report).toMatchObject({ total: 5, failed: 2, skipped: 1 });
    expect(report.failures.map((f) => f.name)).toEqual(['roundsHalfEven', 'loadsFromDatabase']);
  });

  it('decodes entities in message attributes and keeps CDATA stack traces verbatim', () => {
    const [failure, error] = report.failures;
    expect(failure).toMatchObject({
      classname: 'com.acme.billing.InvoiceTest',
      message: 'expected: <10.04> but was: <10.05>',
      reportFile: 'target/surefire-reports/TEST-x.xml',
    });
    expect(failure?.file).toBeUndefined();
    expect(failure?.details).toBe(
      [
        'org.opentest4j.AssertionFailedError: expected: <10.04> but was: <10.05>',
        '\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)',
        '\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:197)',
        '\tat com.acme.billing.InvoiceTest.roundsHalfEven(InvoiceTest.java:41)',
      ].join('\n'),
    );
    expect(error?.message).toMatch(/^Connection to localhost:5432 refused\./);
    expect(error?.details).toContain('Caused by: java.net.ConnectException');
  });
});

describe('parseJUnit: other shapes', () => {
  it('walks nested suites, inheriting `file` from the suite (PHPUnit)', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="" tests="3" assertions="3" errors="0" failures="1" skipped="0" time="0.01">
    <testsuite name="Unit" tests="3" assertions="3" errors="0" failures="1" skipped="0" time="0.01">
      <testsuite name="Tests\\Unit\\PriceTest" file="/app/tests/Unit/PriceTest.php" tests="3" failures="1">
        <testcase name="testAdds" class="Tests\\Unit\\PriceTest" classname="Tests.Unit.PriceTest" file="/app/tests/Unit/PriceTest.php" line="9" assertions="1" time="0.001"/>
        <testcase name="testRounding" class="Tests\\Unit\\PriceTest" classname="Tests.Unit.PriceTest" file="/app/tests/Unit/PriceTest.php" line="14" assertions="1" time="0.003">
          <failure type="PHPUnit\\Framework\\ExpectationFailedException">Tests\\Unit\\PriceTest::testRounding
Failed asserting that 10.05 matches expected 10.04.

/app/tests/Unit/PriceTest.php:17</failure>
        </testcase>
        <testcase name="testProvider with data set #0" classname="Tests.Unit.PriceTest" assertions="1" time="0.001">
          <failure message="boom"/>
        </testcase>
      </testsuite>
    </testsuite>
  </testsuite>
</testsuites>`;
    const report = parseJUnit(xml, 'phpunit.xml');
    expect(report).toMatchObject({ total: 3, failed: 2, skipped: 0 });
    expect(report.failures[0]).toMatchObject({
      name: 'testRounding',
      classname: 'Tests.Unit.PriceTest',
      file: '/app/tests/Unit/PriceTest.php',
      line: 14, // not pytest: taken as written
      message: 'Tests\\Unit\\PriceTest::testRounding',
    });
    // No `file` on the testcase: the suite's.
    expect(report.failures[1]).toMatchObject({ file: '/app/tests/Unit/PriceTest.php', message: 'boom' });
    expect(report.failures[1]?.line).toBeUndefined();
    expect(report.failures[1]?.details).toBeUndefined();
  });

  it('falls back to the type attribute, then to a generic message', () => {
    const xml = `<testsuite name="s">
      <testcase name="a"><failure type="AssertionError"/></testcase>
      <testcase name="b"><error/></testcase>
      <testcase name="c"><failure/></testcase>
    </testsuite>`;
    expect(parseJUnit(xml, 'r.xml').failures.map((f) => [f.name, f.message, f.classname])).toEqual([
      ['a', 'AssertionError', undefined],
      ['b', 'Test errored', undefined],
      ['c', 'Test failed', undefined],
    ]);
  });

  it('counts a testcase with both <failure> and <error> once, keeping both texts', () => {
    const xml = `<testsuites><testsuite name="t">
      <testcase classname="m" name="t1"><failure message="assert 1 == 2">first</failure><error message="teardown">second</error></testcase>
      <testcase classname="m" name="t2"><skipped/><failure message="x"/></testcase>
    </testsuite></testsuites>`;
    const report = parseJUnit(xml, 'r.xml');
    expect(report).toMatchObject({ total: 2, failed: 2, skipped: 0 });
    expect(report.failures[0]).toMatchObject({ message: 'assert 1 == 2', details: 'first\n\nsecond' });
  });

  it('truncates details to 4 KiB of UTF-8 without splitting a character', () => {
    const long = 'é'.repeat(5000); // 10000 bytes
    const report = parseJUnit(
      `<testsuite><testcase name="big"><failure>${long}</failure></testcase></testsuite>`,
      'r.xml',
    );
    const details = report.failures[0]?.details ?? '';
    expect(Buffer.byteLength(details, 'utf8')).toBeLessThanOrEqual(4096);
    expect(Buffer.byteLength(details, 'utf8')).toBeGreaterThan(4070);
    expect(details.endsWith('\n… (truncated)')).toBe(true);
    expect(details).not.toContain('\uFFFD');
  });

  it('accepts empty suites', () => {
    const empty = { total: 0, failed: 0, skipped: 0, flaky: 0, failures: [], flakyTests: [], mismatches: [] };
    expect(parseJUnit('<testsuites/>', 'r.xml')).toEqual(empty);
    expect(parseJUnit('<testsuite name="x" tests="0"></testsuite>', 'r.xml')).toEqual(empty);
  });
});

describe('parseJUnit: bad input', () => {
  it.each([
    [
      'truncated file',
      '<testsuites>\n  <testsuite name="a">\n    <testcase name="x">\n      <failure>boom',
      /malformed XML at line 4, column 19: the file ends inside <failure> \(opened at line 4\): it is cut short/,
    ],
    [
      'mismatched tags',
      '<testsuite>\n<testcase name="x">\n</testsuite>',
      /malformed XML at line 3, column 12: unexpected close tag/,
    ],
    ['empty file', '   ', /the file is empty/],
    [
      'not XML',
      'PASS src/a.test.ts',
      /malformed XML at line 1, column \d+: .*\(the file starts with "PASS src\/a\.test\.ts"\)/,
    ],
    [
      'another XML format',
      '<coverage line-rate="1"/>',
      /root element is <coverage>, expected <testsuites> or <testsuite>/,
    ],
    ['two roots', '<testsuite/><testsuite/>', /documents may contain only one root/],
  ])('throws JUnitFormatError naming the file for a %s', (_label, xml, reason) => {
    let error: unknown;
    try {
      parseJUnit(xml, 'build/test-results/junit.xml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JUnitFormatError);
    expect((error as JUnitFormatError).reportFile).toBe('build/test-results/junit.xml');
    expect((error as Error).message).toMatch(/^build\/test-results\/junit\.xml: /);
    expect((error as Error).message).toMatch(reason);
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('mergeReports', () => {
  it('sums counts and concatenates failures in order', () => {
    const jest = parseJUnit(fixture('jest-junit.xml'), 'jest.xml');
    const py = parseJUnit(fixture('pytest-junit.xml'), 'pytest.xml');
    const merged = mergeReports([jest, py]);
    expect(merged).toMatchObject({ total: 12, failed: 4, skipped: 2 });
    expect(merged.failures.map((f) => `${f.reportFile}:${f.name}`)).toEqual([
      'jest.xml:cart applies a discount code',
      'jest.xml:src/__tests__/checkout.test.ts',
      'pytest.xml:test_refund_over_limit',
      'pytest.xml:test_cancel_order',
    ]);
    // Inputs are not mutated.
    expect(jest.failures).toHaveLength(2);
  });

  it('returns an empty report for no input', () => {
    expect(mergeReports([])).toEqual({
      total: 0,
      failed: 0,
      skipped: 0,
      flaky: 0,
      failures: [],
      flakyTests: [],
      mismatches: [],
    });
  });
});

describe('parseJUnit: failures outside a <testcase>', () => {
  it('counts an <error> directly under <testsuite> as a failed entry named after the suite (Ant)', () => {
    const xml = `<testsuite name="com.acme.RatesTest" tests="1" errors="1" failures="0">
      <error message="Could not initialize class com.acme.Rates" type="java.lang.NoClassDefFoundError">java.lang.NoClassDefFoundError: Could not initialize class com.acme.Rates</error>
    </testsuite>`;
    const report = parseJUnit(xml, 'TEST-com.acme.RatesTest.xml');
    expect(report).toMatchObject({ total: 1, failed: 1, skipped: 0, mismatches: [] });
    expect(report.failures[0]).toMatchObject({
      name: 'com.acme.RatesTest',
      message: 'Could not initialize class com.acme.Rates',
      details: 'java.lang.NoClassDefFoundError: Could not initialize class com.acme.Rates',
    });
  });

  it('keeps a nested suite that holds only an <error>', () => {
    const xml = `<testsuites><testsuite name="outer" tests="3" errors="1">
      <testcase name="a"/><testcase name="b"/>
      <testsuite name="inner" tests="1" errors="1"><error message="fixture setup failed"/></testsuite>
    </testsuite></testsuites>`;
    const report = parseJUnit(xml, 'r.xml');
    expect(report).toMatchObject({ total: 3, failed: 1, mismatches: [] });
    expect(report.failures.map((f) => [f.name, f.message])).toEqual([['inner', 'fixture setup failed']]);
  });

  it('counts a suite-level <failure> besides its test cases', () => {
    const xml = `<testsuite name="api" tests="3" failures="1"><testcase name="a"/><testcase name="b"/><failure message="afterAll hook failed"/></testsuite>`;
    expect(parseJUnit(xml, 'r.xml')).toMatchObject({ total: 3, failed: 1, mismatches: [] });
  });
});

describe("parseJUnit: a suite's own counts are reconciled with what it holds", () => {
  it.each([
    [
      'matching counts',
      '<testsuite name="s" tests="2" failures="1" errors="0" skipped="0"><testcase name="a"><failure/></testcase><testcase name="b"/></testsuite>',
      undefined,
    ],
    [
      'more failures declared than shown: may hide one, blocks',
      '<testsuite name="s" tests="2" failures="2"><testcase name="a"><failure/></testcase><testcase name="b"/></testsuite>',
      {
        blocking: true,
        message:
          /suite "s" declares 2 failures and errors but holds 1 failed test\(s\): a failure may be hidden/,
      },
    ],
    [
      'errors count too',
      '<testsuite name="s" tests="1" errors="1"><testcase name="a"/></testsuite>',
      { blocking: true, message: /declares 1 failures and errors but holds 0/ },
    ],
    [
      'fewer tests declared than held: a warning',
      '<testsuite name="s" tests="1"><testcase name="a"/><testcase name="b"/></testsuite>',
      { blocking: false, message: /suite "s" declares 1 tests but holds 2 test case\(s\)/ },
    ],
    [
      'skipped disagreeing: a warning',
      '<testsuite name="s" tests="1" skipped="1"><testcase name="a"/></testsuite>',
      { blocking: false, message: /declares 1 skipped but holds 0 skipped/ },
    ],
    [
      'a parent counting its children (PHPUnit, jest-junit root)',
      '<testsuites tests="2" failures="1"><testsuite name="x" tests="2" failures="1"><testcase name="a"><failure/></testcase><testcase name="b"/></testsuite></testsuites>',
      undefined,
    ],
    [
      'disabled counted with skipped (googletest, tst)',
      '<testsuite name="s" tests="2" disabled="1" skipped="0"><testcase name="a" status="disabled"/><testcase name="b"/></testsuite>',
      undefined,
    ],
  ])('%s', (_label, xml, expected) => {
    const { mismatches } = parseJUnit(xml, 'r.xml');
    if (expected === undefined) {
      expect(mismatches).toEqual([]);
    } else {
      expect(mismatches).toHaveLength(1);
      expect(mismatches[0]).toMatchObject({
        reportFile: 'r.xml',
        suite: 's',
        line: 1,
        blocking: expected.blocking,
      });
      expect(mismatches[0]?.message).toMatch(expected.message);
    }
  });

  it('reports the line of the suite, and at most 20 suites plus a count of the rest', () => {
    const suites = Array.from(
      { length: 25 },
      (_, i) => `<testsuite name="s${i}" tests="9"><testcase name="a"/></testsuite>`,
    );
    const { mismatches } = parseJUnit(`<testsuites>\n${suites.join('\n')}\n</testsuites>`, 'r.xml');
    expect(mismatches).toHaveLength(21);
    expect(mismatches[0]).toMatchObject({ suite: 's0', line: 2 });
    expect(mismatches[20]?.message).toBe('…and 5 more suites whose counts disagree');
  });
});

describe('parseJUnit: reruns and skipped states', () => {
  it.each([
    [
      'gotestsum: failed attempt, then the passing rerun',
      '<testsuite name="p"><testcase classname="p" name="T"><failure message="Failed"/></testcase><testcase classname="p" name="U"/><testcase classname="p" name="T"/></testsuite>',
      { total: 2, failed: 0, flaky: 1 },
    ],
    [
      'gotestsum: failed on every attempt',
      '<testsuite name="p"><testcase classname="p" name="T"><failure/></testcase><testcase classname="p" name="T"><failure/></testcase><testcase classname="p" name="T"><failure message="third"/></testcase></testsuite>',
      { total: 1, failed: 1, flaky: 0 },
    ],
    [
      'pytest-rerunfailures: earlier attempts written empty, the last one failed',
      '<testsuite name="pytest"><testcase classname="m" name="t"/><testcase classname="m" name="t"/><testcase classname="m" name="t"><failure message="assert 1 == 2"/></testcase></testsuite>',
      { total: 1, failed: 1, flaky: 0 },
    ],
    [
      'pytest-rerunfailures: earlier attempt written empty, the last passed',
      '<testsuite name="pytest"><testcase classname="m" name="t"/><testcase classname="m" name="t"/></testsuite>',
      { total: 1, failed: 0, flaky: 1 },
    ],
    [
      'Surefire: flakyFailure and flakyError pass',
      '<testsuite name="S"><testcase classname="C" name="a"><flakyFailure message="x"/></testcase><testcase classname="C" name="b"><flakyError message="y"/><flakyError message="z"/></testcase></testsuite>',
      { total: 2, failed: 0, flaky: 2 },
    ],
    [
      'Surefire: rerunFailure after a failure stays failed',
      '<testsuite name="S"><testcase classname="C" name="a"><failure message="x"/><rerunFailure message="x"/></testcase><testcase classname="C" name="b"><error message="e"/><rerunError message="e"/></testcase></testsuite>',
      { total: 2, failed: 2, flaky: 0 },
    ],
    [
      'same name in different classes: two tests',
      '<testsuite name="S"><testcase classname="A" name="t"><failure/></testcase><testcase classname="B" name="t"/></testsuite>',
      { total: 2, failed: 1, flaky: 0 },
    ],
    [
      'status="disabled" and status="skipped" are skipped',
      '<testsuite name="S"><testcase name="a" status="disabled"/><testcase name="b" status="skipped"/><testcase name="c" status="run"/></testsuite>',
      { total: 3, failed: 0, flaky: 0, skipped: 2 },
    ],
  ])('%s', (_label, xml, expected) => {
    expect(parseJUnit(xml, 'r.xml')).toMatchObject(expected);
  });

  it('a flaky test names its first failure and counts the failed attempts', () => {
    const xml = `<testsuite name="p">
      <testcase classname="p" name="T" file="p_test.go" line="12"><failure message="first: timeout"/></testcase>
      <testcase classname="p" name="T"><failure message="second"/></testcase>
      <testcase classname="p" name="T"/>
    </testsuite>`;
    expect(parseJUnit(xml, 'r.xml').flakyTests).toEqual([
      {
        name: 'T',
        classname: 'p',
        file: 'p_test.go',
        line: 12,
        failedAttempts: 2,
        message: 'first: timeout',
        reportFile: 'r.xml',
      },
    ]);
  });
});

describe('readJUnitFile', () => {
  it('names the file it cannot open', async () => {
    await expect(readJUnitFile('/nonexistent/junit.xml', 'reports/junit.xml')).rejects.toThrow(
      /^reports\/junit\.xml: not a readable JUnit XML report: cannot read it \(ENOENT/,
    );
  });
});
