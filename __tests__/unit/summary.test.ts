import { computeOutputs } from '../../src/report/outputs';
import type { RunReport } from '../../src/report/run-report';
import { renderSummary, SUMMARY_LIMIT } from '../../src/report/summary';
import type { TestCaseFailure } from '../../src/gate/junit';
import type { GateTests } from '../../src/stages/gate';

const base = (): RunReport => ({ environment: 'production', records: [], dryRun: false, durationMs: 1234 });

/** The gate's test results, failures as given, everything else empty. */
const tests = (t: Partial<GateTests>): GateTests => {
  const blocking = t.blocking ?? [];
  return {
    total: blocking.length,
    failed: blocking.length,
    skipped: 0,
    flaky: 0,
    flakyTests: [],
    mismatches: [],
    quarantined: [],
    annotated: { blocking: 0, quarantined: 0, flaky: 0 },
    ...t,
    blocking,
  };
};

describe('summary and outputs', () => {
  test('a failed stage gives the cause and the next step, and result=failed', () => {
    const r = base();
    r.records.push(
      { name: 'gate', status: 'passed', detail: 'tests passed', durationMs: 2000 },
      {
        name: 'build',
        status: 'failed',
        detail: 'docker build failed: boom',
        hint: 'Fix the Dockerfile.',
        durationMs: 500,
      },
    );
    const md = renderSummary(r);
    expect(md).toContain('Failed at build');
    expect(md).toContain('**build failed:** docker build failed: boom');
    expect(md).toContain('**Next step:** Fix the Dockerfile.');
    expect(computeOutputs(r).result).toBe('failed');
    expect(JSON.parse(computeOutputs(r).stages!)).toEqual([
      { name: 'gate', status: 'passed', durationMs: 2000, detail: 'tests passed' },
      { name: 'build', status: 'failed', durationMs: 500, detail: 'docker build failed: boom' },
    ]);
  });

  test('table cells cannot break the table', () => {
    const r = base();
    r.records.push({ name: 'gate', status: 'failed', detail: 'a | b\nc', durationMs: 1 });
    expect(renderSummary(r)).toContain('a \\| b c');
  });

  test('stays under 1 MiB whatever the reports hold', () => {
    const r = base();
    const failure = (i: number): TestCaseFailure => ({
      name: `test ${i} ${'x'.repeat(5000)}`,
      message: 'y'.repeat(100_000),
      reportFile: 'r.xml',
    });
    r.gate = {
      status: 'failed',
      detail: 'many failed',
      annotations: [],
      tests: tests({ blocking: Array.from({ length: 5000 }, (_, i) => failure(i)) }),
      outputTail: {
        command: 'test-command',
        exitCode: 1,
        lines: Array.from({ length: 30 }, () => 'z'.repeat(100_000)),
      },
    };
    r.records.push({ name: 'gate', status: 'failed', detail: 'many failed', durationMs: 1 });
    const md = renderSummary(r);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(md).toContain('…and 4950 more, each on its own line in the gate log.');
  });

  test.each([
    // [failures, annotated, what the summary says about annotations]
    [3, 3, '(3; each also annotated)'],
    [1511, 10, '(1511; the first 10 also annotated)'],
    [4, 0, '(4)'],
  ])('with %i failures of which %i annotated, the summary says exactly that', (n, annotated, heading) => {
    const r = base();
    const blocking = Array.from({ length: n }, (_, i) => ({
      name: `t${i}`,
      message: 'boom',
      reportFile: 'r.xml',
    }));
    r.gate = {
      status: 'failed',
      detail: `${n} failed`,
      annotations: [],
      tests: tests({ blocking, annotated: { blocking: annotated, quarantined: 0, flaky: 0 } }),
    };
    const md = renderSummary(r);
    expect(md).toContain(`**Failed tests** ${heading}`);
    // Never sends a reader to annotations that do not exist.
    expect(md).not.toMatch(/see the annotations/i);
    if (n > 50) expect(md).toContain(`…and ${n - 50} more, each on its own line in the gate log.`);
    expect(md).toContain('| t0 | r.xml | boom |');
  });

  test('flaky tests, count mismatches and an unread coverage file get their own sections', () => {
    const r = base();
    r.gate = {
      status: 'passed',
      detail: 'tests passed',
      annotations: [],
      tests: tests({
        total: 10,
        flaky: 1,
        flakyTests: [
          {
            name: 'TestFlaky',
            classname: 'example.com/shop',
            failedAttempts: 2,
            message: 'timeout',
            reportFile: 'r.xml',
          },
        ],
        mismatches: [
          {
            reportFile: 'r.xml',
            suite: 's',
            line: 3,
            message: 'suite "s" declares 1 tests but holds 2 test case(s)',
            blocking: false,
          },
        ],
      }),
      coverageProblem: 'coverage-file cov.bin: Unreadable coverage report: the file starts with "PK"',
    };
    const md = renderSummary(r);
    expect(md).toContain('10 tests: 9 passed, 0 failed, 1 flaky (passed on a rerun), 0 skipped.');
    expect(md).toContain('**Flaky: failed, then passed on a rerun (not blocking)** (1)');
    expect(md).toContain('| example.com/shop › TestFlaky | r.xml | 2 | timeout |');
    expect(md).toContain('| r.xml:3 | warning | suite "s" declares 1 tests but holds 2 test case(s) |');
    expect(md).toContain(
      'Coverage was not read (not blocking: no coverage-threshold is set): coverage-file cov.bin',
    );
  });

  test('statement-based coverage says statements', () => {
    const r = base();
    r.gate = {
      status: 'passed',
      detail: '',
      annotations: [],
      coverage: {
        format: 'go-coverprofile',
        unit: 'statements',
        linesCovered: 9,
        linesValid: 11,
        percent: 81.81,
        threshold: 80,
      },
    };
    expect(renderSummary(r)).toContain(
      'Statement coverage: **81.81%** (9 of 11 statements, go-coverprofile) (threshold 80%: met).',
    );
  });

  test('an input error is the whole story', () => {
    const r = base();
    r.inputError = 'Input \'push\' is "maybe": expected true or false.';
    const md = renderSummary(r);
    expect(md).toContain("**Cause:** Input 'push'");
    expect(computeOutputs(r).result).toBe('failed');
  });
});
