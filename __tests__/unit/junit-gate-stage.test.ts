// The gate stage over real reports on disk: what blocks, what does not, and which annotations it
// asks for (never more than GitHub shows per step).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GateInputs } from '../../src/inputs';
import type { Log } from '../../src/log';
import { runGate } from '../../src/stages/gate';

const real = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/gate/real');

const lines: string[] = [];
const log: Log = {
  info: (m: string) => void lines.push(m),
  warn: (m: string) => void lines.push(m),
  debug: () => undefined,
  group: <T>(_t: string, fn: () => Promise<T>) => fn(),
};

const gate = (g: Partial<GateInputs>): GateInputs => ({ junitFiles: [], quarantine: [], ...g });

let ws: string;
beforeEach(() => {
  ws = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-gate-'));
  fs.mkdirSync(path.join(ws, 'reports'));
  lines.length = 0;
});
afterEach(() => fs.rmSync(ws, { recursive: true, force: true }));

const copy = (from: string, to: string): void => fs.copyFileSync(path.join(real, from), path.join(ws, to));

/** A report with `n` failing tests, as a real suite of many failures would look. */
const manyFailures = (n: number): string =>
  `<testsuite name="big" tests="${n}" failures="${n}">${Array.from(
    { length: n },
    (_, i) =>
      `<testcase classname="big" name="t${i}" file="src/t${i}.ts" line="${i + 1}"><failure message="boom ${i}"/></testcase>`,
  ).join('')}</testsuite>`;

describe('runGate over real reports', () => {
  test('flaky tests (passed on a rerun) do not block; failures do', async () => {
    copy('junit/gotestsum-rerun-fails.xml', 'reports/go.xml');
    copy('junit/surefire-rerun-TEST-acme.InvoiceTest.xml', 'reports/TEST-a.xml');
    const r = await runGate(gate({ junitFiles: ['reports/*.xml'] }), ws, log);
    expect(r.status).toBe('failed');
    expect(r.detail).toBe('2 of 10 tests failed');
    expect(r.tests).toMatchObject({ total: 10, failed: 2, flaky: 3, skipped: 2 });
    expect(r.tests?.flakyTests.map((f) => f.name).sort()).toEqual(['TestFlaky', 'flaky', 'flakyError']);
    expect(r.annotations.filter((a) => a.level === 'notice').map((a) => a.title)).toHaveLength(3);
    expect(lines).toContain('FLAKY example.com/shop › TestFlaky: Failed');
  });

  test('only flaky tests: the gate passes and says so', async () => {
    fs.writeFileSync(
      path.join(ws, 'reports/go.xml'),
      '<testsuite name="p"><testcase classname="p" name="T"><failure message="Failed"/></testcase><testcase classname="p" name="T"/></testsuite>',
    );
    const r = await runGate(gate({ junitFiles: ['reports/*.xml'], testCommand: 'true' }), ws, log);
    expect(r).toMatchObject({ status: 'passed', detail: 'tests passed, 1 flaky (passed on a rerun)' });
  });

  test('an Ant suite-level error fails the gate even when the test command exited 0', async () => {
    copy('junit/ant-TEST-acme.LedgerTest-class-not-found.xml', 'reports/TEST-acme.LedgerTest.xml');
    const r = await runGate(gate({ junitFiles: ['reports/*.xml'], testCommand: 'true' }), ws, log);
    expect(r).toMatchObject({ status: 'failed', detail: '1 of 1 tests failed' });
    expect(r.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        title: 'Test failed: acme.LedgerTest',
        message: 'acme.LedgerTest',
      }),
    ]);
  });

  test('a suite that declares more failures than it shows fails the gate', async () => {
    fs.writeFileSync(
      path.join(ws, 'reports/r.xml'),
      '<testsuite name="s" tests="2" failures="1"><testcase name="a"/><testcase name="b"/></testsuite>',
    );
    const r = await runGate(gate({ junitFiles: ['reports/*.xml'] }), ws, log);
    expect(r.status).toBe('failed');
    expect(r.detail).toMatch(
      /^1 test suite\(s\) declare more failures than they show \(reports\/r\.xml: suite "s" declares 1 failures/,
    );
    expect(r.annotations[0]).toMatchObject({ level: 'error', title: 'Test report may hide a failure' });
  });

  test('1,511 failures: 10 error annotations, every failure in the log', async () => {
    fs.writeFileSync(path.join(ws, 'reports/big.xml'), manyFailures(1511));
    const r = await runGate(gate({ junitFiles: ['reports/*.xml'] }), ws, log);
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(10);
    expect(r.annotations[0]).toMatchObject({ title: 'Test failed: t0', file: 'src/t0.ts', line: 1 });
    expect(r.tests?.annotated).toEqual({ blocking: 10, quarantined: 0, flaky: 0 });
    expect(lines.filter((l) => l.startsWith('FAILED '))).toHaveLength(1511);
    expect(lines).toContain('FAILED big › t1510 (src/t1510.ts:1511): boom 1510');
  });

  test('quarantined failures are warnings, capped at 10 too', async () => {
    fs.writeFileSync(path.join(ws, 'reports/big.xml'), manyFailures(30));
    const quarantine = Array.from({ length: 30 }, (_, i) => `big.t${i}`);
    const r = await runGate(
      gate({ junitFiles: ['reports/*.xml'], quarantine, testCommand: 'exit 1' }),
      ws,
      log,
    );
    expect(r.status).toBe('passed');
    expect(r.annotations.filter((a) => a.level === 'warning')).toHaveLength(10);
    expect(r.annotations.filter((a) => a.level === 'error')).toHaveLength(0);
    expect(r.tests?.annotated.quarantined).toBe(10);
  });

  test('an unreadable JUnit file fails the gate, naming the file and the line', async () => {
    fs.writeFileSync(
      path.join(ws, 'reports/cut.xml'),
      '<testsuites>\n<testsuite name="a">\n<testcase name="x">',
    );
    await expect(runGate(gate({ junitFiles: ['reports/*.xml'] }), ws, log)).rejects.toThrow(
      /^reports\/cut\.xml: not a readable JUnit XML report: malformed XML at line 3, column 19: the file ends inside <testcase>/,
    );
  });
});

describe('runGate: coverage', () => {
  test.each([
    ['coverage/jacoco.xml', 'Line coverage: 80% (8/10 lines, jacoco).'],
    ['coverage/go-coverprofile-set.out', 'Statement coverage: 81.81% (9/11 statements, go-coverprofile).'],
    [
      'coverage/reportgenerator-OpenCover_coverlet.xml',
      'Statement coverage: 61.17% (156/255 statements, opencover).',
    ],
  ])('%s is read and logged', async (file, logged) => {
    copy(file, 'cov');
    const r = await runGate(gate({ coverageFile: 'cov', coverageThreshold: 50 }), ws, log);
    expect(r.status).toBe('passed');
    expect(lines).toContain(logged);
  });

  test('below the threshold in statements says statements', async () => {
    copy('coverage/go-coverprofile-count.out', 'cover.out');
    const r = await runGate(gate({ coverageFile: 'cover.out', coverageThreshold: 50 }), ws, log);
    expect(r).toMatchObject({
      status: 'failed',
      detail: 'statement coverage 18.18% is below coverage-threshold 50%',
    });
  });

  test('without a threshold, an unreadable coverage file is a warning, not a failed gate', async () => {
    fs.writeFileSync(path.join(ws, 'coverage.bin'), 'PK\u0003\u0004 zipped report');
    const r = await runGate(gate({ coverageFile: 'coverage.bin' }), ws, log);
    expect(r.status).toBe('passed');
    expect(r.detail).toBe('coverage not read (see the summary)');
    expect(r.coverageProblem).toMatch(
      /^coverage-file coverage\.bin: Unreadable coverage report: the file starts with "PK/,
    );
    expect(r.annotations).toEqual([
      expect.objectContaining({ level: 'warning', title: 'Coverage not read' }),
    ]);
  });

  test('without a threshold, a missing coverage file is a warning too', async () => {
    const r = await runGate(gate({ coverageFile: 'nope/lcov.info' }), ws, log);
    expect(r.status).toBe('passed');
    expect(r.coverageProblem).toMatch(/^coverage-file nope\/lcov\.info does not exist/);
  });

  test('with a threshold, an unreadable coverage file fails the gate', async () => {
    fs.writeFileSync(path.join(ws, 'coverage.bin'), 'PK\u0003\u0004 zipped report');
    await expect(
      runGate(gate({ coverageFile: 'coverage.bin', coverageThreshold: 80 }), ws, log),
    ).rejects.toThrow(
      /Unreadable coverage report: the file starts with "PK.*\(coverage-threshold needs it\)$/,
    );
  });
});
