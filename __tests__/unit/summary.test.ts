import { computeOutputs } from '../../src/report/outputs';
import type { RunReport } from '../../src/report/run-report';
import { renderSummary, SUMMARY_LIMIT } from '../../src/report/summary';
import type { TestCaseFailure } from '../../src/gate/junit';

const base = (): RunReport => ({ environment: 'production', records: [], dryRun: false, durationMs: 1234 });

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
      tests: {
        total: 5000,
        failed: 5000,
        skipped: 0,
        blocking: Array.from({ length: 5000 }, (_, i) => failure(i)),
        quarantined: [],
      },
      outputTail: {
        command: 'test-command',
        exitCode: 1,
        lines: Array.from({ length: 30 }, () => 'z'.repeat(100_000)),
      },
    };
    r.records.push({ name: 'gate', status: 'failed', detail: 'many failed', durationMs: 1 });
    const md = renderSummary(r);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(SUMMARY_LIMIT);
    expect(md).toContain('…and 4950 more');
  });

  test('an input error is the whole story', () => {
    const r = base();
    r.inputError = 'Input \'push\' is "maybe": expected true or false.';
    const md = renderSummary(r);
    expect(md).toContain("**Cause:** Input 'push'");
    expect(computeOutputs(r).result).toBe('failed');
  });
});
