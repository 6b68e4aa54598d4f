// The gate's report reading through the bundled action (dist/index.js), as the runner runs it:
// real reports from the real tools, GitHub's annotation cap, and what the summary says about them.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runAction, tempDir } from '../helpers/action';

const REAL = path.join(ROOT, '__tests__/fixtures/gate/real');
type Stage = { name: string; status: string; detail: string };
const gateOf = (outputs: Record<string, string>): Stage | undefined =>
  (JSON.parse(outputs.stages ?? '[]') as Stage[]).find((s) => s.name === 'gate');

function workspace(files: Record<string, string>): string {
  const ws = tempDir('sd-gate-ws-');
  for (const [to, from] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(ws, to)), { recursive: true });
    if (from.startsWith('<') || from.startsWith('SF:')) fs.writeFileSync(path.join(ws, to), from);
    else fs.copyFileSync(path.join(REAL, from), path.join(ws, to));
  }
  return ws;
}

describe('gate reports through dist/index.js', () => {
  test('flaky reruns pass with their own section; JaCoCo coverage meets the threshold', async () => {
    const ws = workspace({
      'reports/go.xml': 'junit/gotestsum-rerun-fails.xml',
      'target/surefire-reports/TEST-acme.InvoiceTest.xml': 'junit/surefire-rerun-TEST-acme.InvoiceTest.xml',
      'target/site/jacoco/jacoco.xml': 'coverage/jacoco.xml',
    });
    // Keep only the flaky tests: drop the ones that failed on every attempt, and their counts (a
    // suite still declaring them would block the gate: a failure may be hidden).
    const edit = (f: string, fix: (text: string) => string): void =>
      fs.writeFileSync(path.join(ws, f), fix(fs.readFileSync(path.join(ws, f), 'utf8')));
    const dropFailing = (text: string): string =>
      text.replace(/<testcase[^>]*name="(TestLabelWrong|labelsWrong)"[^>]*>[\s\S]*?<\/testcase>/g, '');
    edit('reports/go.xml', (t) =>
      dropFailing(t).replaceAll('tests="7" failures="4"', 'tests="4" failures="1"'),
    );
    edit('target/surefire-reports/TEST-acme.InvoiceTest.xml', (t) =>
      dropFailing(t).replace('failures="1"', 'failures="0"'),
    );
    const run = await runAction({
      cwd: ws,
      inputs: {
        'test-command': 'true',
        'junit-files': 'reports/*.xml\ntarget/surefire-reports/*.xml',
        'coverage-file': 'target/site/jacoco/jacoco.xml',
        'coverage-threshold': '75',
      },
    });
    expect(gateOf(run.outputs)).toMatchObject({ status: 'passed' });
    expect(gateOf(run.outputs)?.detail).toBe('tests passed, 3 flaky (passed on a rerun), coverage 80%');
    expect(run.outputs.coverage).toBe('80');
    expect(run.summary).toContain(
      '**Flaky: failed, then passed on a rerun (not blocking)** (3; each also annotated)',
    );
    expect(run.summary).toContain('Line coverage: **80%** (8 of 10 lines, jacoco) (threshold 75%: met).');
    expect(run.stdout.match(/^::notice title=Flaky test/gm)).toHaveLength(3);
  });

  test('1,511 failures: 10 error annotations, and the summary says so', async () => {
    const cases = Array.from(
      { length: 1511 },
      (_, i) =>
        `<testcase classname="api" name="case ${i}" file="test/api.test.ts" line="${i + 1}"><failure message="boom ${i}"/></testcase>`,
    ).join('');
    const ws = workspace({
      'reports/junit.xml': `<testsuite name="api" tests="1511" failures="1511">${cases}</testsuite>`,
    });
    const run = await runAction({
      cwd: ws,
      inputs: { 'test-command': 'exit 1', 'junit-files': 'reports/*.xml' },
    });
    expect(run.code).toBe(1);
    expect(gateOf(run.outputs)?.detail).toBe('test-command exited with code 1; 1511 of 1511 tests failed');
    expect(run.stdout.match(/^::error title=Test failed/gm)).toHaveLength(10);
    expect(run.summary).toContain('**Failed tests** (1511; the first 10 also annotated)');
    expect(run.summary).toContain('…and 1461 more, each on its own line in the gate log.');
    expect(run.summary).not.toMatch(/see the annotations/i);
    expect(run.stdout).toContain('FAILED api › case 1510 (test/api.test.ts:1511): boom 1510');
  });

  test('an Ant suite-level error fails the gate although the test command passed', async () => {
    const ws = workspace({
      'reports/TEST-acme.LedgerTest.xml': 'junit/ant-TEST-acme.LedgerTest-class-not-found.xml',
    });
    const run = await runAction({
      cwd: ws,
      inputs: { 'test-command': 'true', 'junit-files': 'reports/*.xml' },
    });
    expect(run.code).toBe(1);
    expect(gateOf(run.outputs)).toMatchObject({ status: 'failed', detail: '1 of 1 tests failed' });
    expect(run.summary).toContain('| acme.LedgerTest | reports/TEST-acme.LedgerTest.xml | acme.LedgerTest |');
  });

  test('a truncated report fails with its name, line and column; an unknown coverage format only warns', async () => {
    const ws = workspace({
      'reports/junit.xml': '<testsuites>\n  <testsuite name="a" tests="1">\n    <testcase name="x">',
      'coverage/report.html': '<html><body>85%</body></html>',
    });
    const cut = await runAction({ cwd: ws, inputs: { 'junit-files': 'reports/*.xml' } });
    expect(cut.code).toBe(1);
    expect(gateOf(cut.outputs)?.detail).toBe(
      'reports/junit.xml: not a readable JUnit XML report: malformed XML at line 3, column 23: the file ends inside <testcase> (opened at line 3): it is cut short (was the run killed, or the disk full?).',
    );

    const cov = await runAction({ cwd: ws, inputs: { 'coverage-file': 'coverage/report.html' } });
    expect(cov.code).toBe(0);
    expect(gateOf(cov.outputs)).toMatchObject({
      status: 'passed',
      detail: 'coverage not read (see the summary)',
    });
    expect(cov.stdout).toMatch(
      /^::warning title=Coverage not read::coverage-file coverage\/report\.html: Unreadable coverage report: XML whose root element is <html>/m,
    );
    expect(cov.summary).toContain('Coverage was not read (not blocking: no coverage-threshold is set)');
  });
});
