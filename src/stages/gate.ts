import fs from 'node:fs';
import path from 'node:path';
import type { GateInputs } from '../inputs';
import type { Log } from '../log';
import type { Annotation, StageResult } from '../types';
import { parseCoverage, type CoverageReport } from '../gate/coverage';
import { mergeReports, parseJUnit, type TestCaseFailure, type TestReport } from '../gate/junit';
import { applyQuarantine } from '../gate/quarantine';
import { globFiles } from '../util/glob';
import { runShell } from '../util/shell';

export interface GateResult extends StageResult {
  tests?: Omit<TestReport, 'failures'> & { blocking: TestCaseFailure[]; quarantined: TestCaseFailure[] };
  coverage?: CoverageReport & { threshold?: number };
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
    const tests = readTests(gate, workDir);
    result.tests = tests;
    for (const f of [...tests.blocking, ...tests.quarantined]) {
      const quarantined = tests.quarantined.includes(f);
      result.annotations.push({
        level: quarantined ? 'warning' : 'error',
        title: `${quarantined ? 'Quarantined test failed' : 'Test failed'}: ${f.name}`,
        message: f.message || 'failed',
        file: f.file,
        line: f.line,
      });
    }
    if (tests.blocking.length > 0) problems.push(`${tests.blocking.length} of ${tests.total} tests failed`);
    log.info(
      `Tests: ${tests.total} run, ${tests.failed} failed (${tests.quarantined.length} quarantined), ${tests.skipped} skipped.`,
    );
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
    const coverage = readCoverage(gate.coverageFile, workDir);
    result.coverage = { ...coverage, threshold: gate.coverageThreshold };
    log.info(
      `Line coverage: ${coverage.percent}% (${coverage.linesCovered}/${coverage.linesValid}, ${coverage.format}).`,
    );
    if (gate.coverageThreshold !== undefined && coverage.percent < gate.coverageThreshold) {
      problems.push(
        `line coverage ${coverage.percent}% is below coverage-threshold ${gate.coverageThreshold}%`,
      );
    }
  }

  if (problems.length > 0) {
    result.status = 'failed';
    result.detail = problems.join('; ');
    result.hint = 'Fix the failing checks shown in the summary and the gate log, then push again.';
  } else {
    const tests = excused
      ? `tests passed except ${result.tests!.quarantined.length} quarantined`
      : 'tests passed';
    const parts = [gate.lintCommand && 'lint passed', gate.testCommand && tests];
    if (result.coverage) parts.push(`coverage ${result.coverage.percent}%`);
    result.detail = parts.filter(Boolean).join(', ') || 'reports read';
  }
  return result;
}

function readTests(gate: GateInputs, workDir: string): NonNullable<GateResult['tests']> {
  const files = globFiles(workDir, gate.junitFiles);
  if (files.length === 0) {
    throw new Error(
      `junit-files matched no file (${gate.junitFiles.join(', ')} under ${workDir}); did the test command write its report there?`,
    );
  }
  const report = mergeReports(
    files.map((f) => parseJUnit(fs.readFileSync(f, 'utf8'), path.relative(workDir, f))),
  );
  const { blocking, quarantined } = applyQuarantine(report.failures, gate.quarantine);
  return { total: report.total, failed: report.failed, skipped: report.skipped, blocking, quarantined };
}

function readCoverage(file: string, workDir: string): CoverageReport {
  const full = path.resolve(workDir, file);
  if (!fs.existsSync(full)) {
    throw new Error(
      `coverage-file ${file} does not exist (looked for ${full}); did the test command write it?`,
    );
  }
  return parseCoverage(fs.readFileSync(full, 'utf8'));
}
