import { readFileSync } from 'node:fs';
import { JUnitFormatError, mergeReports, parseJUnit } from '../../src/gate/junit';

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
    expect(parseJUnit('<testsuites/>', 'r.xml')).toEqual({ total: 0, failed: 0, skipped: 0, failures: [] });
    expect(parseJUnit('<testsuite name="x" tests="0"></testsuite>', 'r.xml')).toEqual({
      total: 0,
      failed: 0,
      skipped: 0,
      failures: [],
    });
  });
});

describe('parseJUnit: bad input', () => {
  it.each([
    ['truncated file', '<testsuites><testsuite name="a"><testcase name="x">', /malformed XML/],
    ['mismatched tags', '<testsuite><testcase name="x"></testsuite>', /malformed XML at line 1/],
    ['empty file', '   ', /the file is empty/],
    ['not XML', 'PASS src/a.test.ts', /malformed XML/],
    [
      'another XML format',
      '<coverage line-rate="1"/>',
      /root element is <coverage>, expected <testsuites> or <testsuite>/,
    ],
    ['two roots', '<testsuite/><testsuite/>', /expected one root element, found 2/],
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
    expect(mergeReports([])).toEqual({ total: 0, failed: 0, skipped: 0, failures: [] });
  });
});
