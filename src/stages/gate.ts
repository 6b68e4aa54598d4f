import fs from 'node:fs';
import path from 'node:path';
import type { GateInputs } from '../inputs';
import type { Log } from '../log';
import { ANNOTATION_CAP, type Annotation, type StageResult } from '../types';
import { CoverageFormatError, readCoverageFile, type CoverageReport } from '../gate/coverage';
import { mergeReports, readJUnitFile, type TestCaseFailure, type TestReport } from '../gate/junit';
import { applyQuarantine } from '../gate/quarantine';
import { globFiles } from '../util/glob';
import { runShell } from '../util/shell';

/**
 * GitHub shows at most 10 error and 10 warning (and 10 notice) annotations per step; more are
 * dropped silently. The gate asks for no more than that (its annotations are written first), so
 * the summary can say which exist.
 */
const ANNOTATIONS_PER_LEVEL = ANNOTATION_CAP;
/** Failures printed one a line in the gate log (the summary lists fewer). */
const MAX_LOGGED_FAILURES = 5000;

export interface GateTests extends Omit<TestReport, 'failures'> {
  blocking: TestCaseFailure[];
  quarantined: TestCaseFailure[];
  /** How many of each list were written as annotations (the first ones). */
  annotated: { blocking: number; quarantined: number; flaky: number };
}

export interface GateResult extends StageResult {
  tests?: GateTests;
  coverage?: CoverageReport & { threshold?: number };
  /** The coverage file could not be read and no threshold depends on it: a warning, not a failure. */
  coverageProblem?: string;
  /** Last lines of the command that failed, for the summary. */
  outputTail?: { command: 'lint-command' | 'test-command'; exitCode: number; lines: string[] };
  annotations: Annotation[];
}

/** Lint, then tests, then reports: the cheapest check that can fail goes first. */
export async function runGate(gate: GateInputs, workDir: string, log: Log): Promise<GateResult> {
  if (!gate.lintCommand && !gate.testCommand && !gate.coverageFile && gate.junitFiles.length === 0) {
    return {
      status: 'skipped',
      detail: 'nothing to check: set lint-command, test-command, coverage-file or junit-files',
      annotations: [],
    };
  }

  if (gate.lintCommand) {
    log.info('Running lint-command…');
    const lint = await runShell(gate.lintCommand, { cwd: workDir });
    if (lint.exitCode !== 0) {
      return {
        status: 'failed',
        detail: `lint-command exited with code ${lint.exitCode}; tests did not run`,
        hint: 'Fix the lint errors (last lines below, full output in the gate log), or run the lint command locally.',
        outputTail: { command: 'lint-command', exitCode: lint.exitCode, lines: lint.tail },
        annotations: [],
      };
    }
  }

  let testExit = 0;
  let testTail: string[] = [];
  if (gate.testCommand) {
    log.info('Running test-command…');
    const test = await runShell(gate.testCommand, { cwd: workDir });
    testExit = test.exitCode;
    testTail = test.tail;
  }

  const result: GateResult = { status: 'passed', detail: '', annotations: [] };
  const problems: string[] = [];

  if (gate.junitFiles.length > 0) {
    const tests = await readTests(gate, workDir);
    result.tests = tests;
    result.annotations.push(...testAnnotations(tests));
    if (tests.blocking.length > 0) problems.push(`${tests.blocking.length} of ${tests.total} tests failed`);
    const hidden = tests.mismatches.filter((m) => m.blocking);
    if (hidden.length > 0)
      problems.push(
        `${hidden.length} test suite(s) declare more failures than they show (${hidden[0]?.reportFile}: ${hidden[0]?.message})`,
      );
    log.info(
      `Tests: ${tests.total} run, ${tests.failed} failed (${tests.quarantined.length} quarantined), ${tests.flaky} flaky (passed on a rerun), ${tests.skipped} skipped.`,
    );
    logFailures(log, tests);
  }

  // A non-zero exit is excused only when the reports explain it entirely by quarantined tests.
  const excused =
    testExit !== 0 &&
    result.tests !== undefined &&
    result.tests.failed > 0 &&
    result.tests.blocking.length === 0;
  if (testExit !== 0 && !excused) {
    problems.unshift(`test-command exited with code ${testExit}`);
    result.outputTail = { command: 'test-command', exitCode: testExit, lines: testTail };
  }

  if (gate.coverageFile) {
    const read = await readCoverage(gate.coverageFile, workDir, gate.coverageThreshold !== undefined);
    if ('problem' in read) {
      result.coverageProblem = read.problem;
      result.annotations.push({ level: 'warning', title: 'Coverage not read', message: read.problem });
      log.info(`Coverage not read (no coverage-threshold, so not blocking): ${read.problem}`);
    } else {
      const coverage = read.coverage;
      result.coverage = { ...coverage, threshold: gate.coverageThreshold };
      log.info(
        `${coverage.unit === 'lines' ? 'Line' : 'Statement'} coverage: ${coverage.percent}% (${coverage.linesCovered}/${coverage.linesValid} ${coverage.unit}, ${coverage.format}).`,
      );
      if (gate.coverageThreshold !== undefined && coverage.percent < gate.coverageThreshold) {
        problems.push(
          `${coverage.unit === 'lines' ? 'line' : 'statement'} coverage ${coverage.percent}% is below coverage-threshold ${gate.coverageThreshold}%`,
        );
      }
    }
  }

  if (problems.length > 0) {
    result.status = 'failed';
    result.detail = problems.join('; ');
    result.hint = 'Fix the failing checks shown in the summary and the gate log, then push again.';
  } else {
    const t = result.tests;
    const tests = excused && t ? `tests passed except ${t.quarantined.length} quarantined` : 'tests passed';
    const parts = [gate.lintCommand && 'lint passed', gate.testCommand && tests];
    if (t && t.flaky > 0) parts.push(`${t.flaky} flaky (passed on a rerun)`);
    if (result.coverage) parts.push(`coverage ${result.coverage.percent}%`);
    if (result.coverageProblem) parts.push('coverage not read (see the summary)');
    result.detail = parts.filter(Boolean).join(', ') || 'reports read';
  }
  return result;
}

async function readTests(gate: GateInputs, workDir: string): Promise<GateTests> {
  const files = globFiles(workDir, gate.junitFiles);
  if (files.length === 0) {
    throw new Error(
      `junit-files matched no file (${gate.junitFiles.join(', ')} under ${workDir}); did the test command write its report there?`,
    );
  }
  // One file at a time: a 50 MB report is streamed, and two at once would only compete.
  const reports: TestReport[] = [];
  for (const f of files) reports.push(await readJUnitFile(f, path.relative(workDir, f)));
  const report = mergeReports(reports);
  const { blocking, quarantined } = applyQuarantine(report.failures, gate.quarantine);
  const { total, failed, skipped, flaky, flakyTests, mismatches } = report;
  return {
    ...{ total, failed, skipped, flaky, flakyTests, mismatches },
    blocking,
    quarantined,
    annotated: { blocking: 0, quarantined: 0, flaky: 0 },
  };
}

/**
 * The first failures as annotations, within GitHub's per-level cap: errors for blocking failures
 * (a suite hiding a failure first), warnings for suites whose counts disagree and for quarantined
 * failures, notices for flaky tests. Records in `tests.annotated` how many of each were written.
 */
function testAnnotations(tests: GateTests): Annotation[] {
  const errors: Annotation[] = [];
  const warnings: Annotation[] = [];
  const notices: Annotation[] = [];
  const room = (list: Annotation[]): boolean => list.length < ANNOTATIONS_PER_LEVEL;
  for (const m of tests.mismatches) {
    const list = m.blocking ? errors : warnings;
    if (room(list))
      list.push({
        level: m.blocking ? 'error' : 'warning',
        title: m.blocking ? 'Test report may hide a failure' : 'Test report counts disagree',
        message: `${m.reportFile}${m.line ? ` line ${m.line}` : ''}: ${m.message}`,
      });
  }
  for (const f of tests.blocking) {
    if (!room(errors)) break;
    errors.push(failureAnnotation('error', 'Test failed', f));
    tests.annotated.blocking++;
  }
  for (const f of tests.quarantined) {
    if (!room(warnings)) break;
    warnings.push(failureAnnotation('warning', 'Quarantined test failed', f));
    tests.annotated.quarantined++;
  }
  for (const f of tests.flakyTests) {
    if (!room(notices)) break;
    notices.push({
      level: 'notice',
      title: `Flaky test (passed on a rerun): ${f.name}`,
      message: `failed ${f.failedAttempts} time(s) before passing: ${f.message}`,
      file: f.file,
      line: f.line,
    });
    tests.annotated.flaky++;
  }
  return [...errors, ...warnings, ...notices];
}

function failureAnnotation(level: 'error' | 'warning', what: string, f: TestCaseFailure): Annotation {
  return { level, title: `${what}: ${f.name}`, message: f.message || 'failed', file: f.file, line: f.line };
}

/** Every failure, one line each, so the log holds what the summary and annotations cannot. */
function logFailures(log: Log, tests: GateTests): void {
  const lines = [
    ...tests.blocking.map((f) => `FAILED ${label(f)}: ${f.message}`),
    ...tests.quarantined.map((f) => `QUARANTINED ${label(f)}: ${f.message}`),
    ...tests.flakyTests.map((f) => `FLAKY ${f.classname ? `${f.classname} › ` : ''}${f.name}: ${f.message}`),
    ...tests.mismatches.map(
      (m) => `${m.blocking ? 'HIDDEN FAILURE?' : 'COUNTS'} ${m.reportFile}: ${m.message}`,
    ),
  ];
  for (const l of lines.slice(0, MAX_LOGGED_FAILURES)) log.info(l);
  if (lines.length > MAX_LOGGED_FAILURES)
    log.info(`…and ${lines.length - MAX_LOGGED_FAILURES} more; open the JUnit reports for the rest.`);
}

function label(f: TestCaseFailure): string {
  const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : ` (${f.reportFile})`;
  return `${f.classname ? `${f.classname} › ` : ''}${f.name}${where}`;
}

/**
 * With a threshold, a coverage file that is missing or unreadable fails the gate (the threshold
 * cannot be checked); without one, coverage is informational and the problem is a warning.
 */
async function readCoverage(
  file: string,
  workDir: string,
  required: boolean,
): Promise<{ coverage: CoverageReport } | { problem: string }> {
  const full = path.resolve(workDir, file);
  let problem: string;
  if (!fs.existsSync(full)) {
    problem = `coverage-file ${file} does not exist (looked for ${full}); did the test command write it?`;
  } else {
    try {
      return { coverage: await readCoverageFile(full) };
    } catch (err) {
      if (!(err instanceof CoverageFormatError)) throw err;
      problem = `coverage-file ${file}: ${err.message}`;
    }
  }
  if (required) throw new Error(`${problem} (coverage-threshold needs it)`);
  return { problem };
}
