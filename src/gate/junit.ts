/**
 * Reads JUnit XML reports as strictly as the strictest readers do, streaming (a 50 MB report is
 * never held whole):
 *
 * - a `<testsuites>` or bare `<testsuite>` root, suites nested to any depth;
 * - `<failure>`/`<error>` directly under a `<testsuite>` (a class that failed to initialise, as Ant
 *   writes it) is a failed entry named after the suite, even when the suite has no `<testcase>`;
 * - a testcase with `<failure>` or `<error>` is failed (even with `<skipped>`); with only
 *   `<skipped>`, or `status="disabled"`/`"skipped"`, it is skipped;
 * - reruns: Surefire's `<flakyFailure>`/`<flakyError>` (failed, then passed) make a test flaky,
 *   its `<rerunFailure>`/`<rerunError>` (failed every time) keep it failed; the same
 *   classname+name repeated in one suite (gotestsum `--rerun-fails`, pytest-rerunfailures) are
 *   attempts of one test, and the last one decides: flaky when it passed after a failed or repeated
 *   attempt, failed when it failed. Flaky tests do not block the gate;
 * - each suite's own `tests`/`failures`/`errors`/`skipped` are reconciled with what it holds; a
 *   suite that declares more failures than it shows may hide one, and blocks the gate.
 */
import fs from 'node:fs';
import { firstBytes, readXmlFile, readXmlString, XmlSyntaxError, type XmlHandlers } from './xml';

export interface TestCaseFailure {
  name: string;
  classname?: string;
  /** As written in the report (usually relative to the test runner's working directory). */
  file?: string;
  /** 1-based. */
  line?: number;
  /** One line: the `message` attribute, else the first non-blank line of the text. */
  message: string;
  /** The failure text (usually a stack trace), at most 4 KiB of UTF-8. */
  details?: string;
  /** The report this failure came from, so a person can open it. */
  reportFile: string;
}

/** A test that failed, then passed on a later attempt in the same run. */
export interface FlakyTest {
  name: string;
  classname?: string;
  file?: string;
  line?: number;
  /** How many attempts failed before the one that passed. */
  failedAttempts: number;
  /** The first failed attempt's message. */
  message: string;
  reportFile: string;
}

/** A suite whose own counts disagree with the test cases it holds. */
export interface CountMismatch {
  reportFile: string;
  suite: string;
  /** 1-based line of the `<testsuite>` element. */
  line: number;
  message: string;
  /** The suite declares more failures/errors than it shows: one may be hidden. */
  blocking: boolean;
}

export interface TestReport {
  /** Distinct tests (attempts of one test count once), suite-level failures included. */
  total: number;
  failed: number;
  skipped: number;
  /** Passed on a later attempt; not in `failed`, not blocking. */
  flaky: number;
  failures: TestCaseFailure[];
  flakyTests: FlakyTest[];
  mismatches: CountMismatch[];
}

/** The file is not JUnit XML we can read. The message is one line and names the file. */
export class JUnitFormatError extends Error {
  constructor(
    readonly reportFile: string,
    reason: string,
  ) {
    super(`${reportFile}: not a readable JUnit XML report: ${reason}.`);
    this.name = 'JUnitFormatError';
  }
}

const DETAILS_MAX_BYTES = 4096;
/** Text kept per failure element while reading; beyond it, the rest is dropped unread. */
const TEXT_MAX_CHARS = 8192;
const TRUNCATED = '\n… (truncated)';
/** Mismatch notes kept per report: a generator that gets every count wrong says so once. */
const MAX_MISMATCHES = 20;

/** Reads one JUnit report held in memory. Throws `JUnitFormatError`. */
export function parseJUnit(xml: string, sourceFile: string): TestReport {
  const reader = new JUnitReader(sourceFile);
  try {
    readXmlString(xml, reader);
  } catch (err) {
    throw formatError(err, sourceFile, xml);
  }
  return reader.result();
}

/** Streams one JUnit report from disk; `sourceFile` is the name shown to people. */
export async function readJUnitFile(file: string, sourceFile: string): Promise<TestReport> {
  const reader = new JUnitReader(sourceFile);
  try {
    await readXmlFile(file, reader);
  } catch (err) {
    throw formatError(err, sourceFile, undefined, file);
  }
  return reader.result();
}

function formatError(err: unknown, sourceFile: string, text?: string, file?: string): Error {
  if (err instanceof JUnitFormatError) return err;
  if (err instanceof XmlSyntaxError) {
    if (err.reason === 'the file is empty') return new JUnitFormatError(sourceFile, 'the file is empty');
    // At the very start, what the file holds says more than the parser's complaint.
    const head = err.line === 1 ? headOf(text, file) : '';
    return new JUnitFormatError(
      sourceFile,
      `${err.message}${head ? ` (the file starts with "${head}")` : ''}`,
    );
  }
  if ((err as NodeJS.ErrnoException)?.code)
    return new JUnitFormatError(sourceFile, `cannot read it (${(err as Error).message})`);
  return err as Error;
}

function headOf(text: string | undefined, file: string | undefined): string {
  if (text !== undefined) return firstBytes(text);
  if (file === undefined) return '';
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(256);
    const n = fs.readSync(fd, buf, 0, 256, 0);
    fs.closeSync(fd);
    return firstBytes(buf.subarray(0, n).toString('utf8'));
  } catch {
    return '';
  }
}

/** Sums reports from several files; failures keep their order and their `reportFile`. */
export function mergeReports(reports: TestReport[]): TestReport {
  const merged = emptyReport();
  for (const r of reports) {
    merged.total += r.total;
    merged.failed += r.failed;
    merged.skipped += r.skipped;
    merged.flaky += r.flaky;
    merged.failures.push(...r.failures);
    merged.flakyTests.push(...r.flakyTests);
    merged.mismatches.push(...r.mismatches);
  }
  return merged;
}

function emptyReport(): TestReport {
  return { total: 0, failed: 0, skipped: 0, flaky: 0, failures: [], flakyTests: [], mismatches: [] };
}

type Outcome = 'passed' | 'failed' | 'skipped' | 'flaky';

/** One test as the report shows it; attempts of the same test are folded into one. */
interface Attempt {
  outcome: Outcome;
  failure: TestCaseFailure | undefined;
  /** Failed attempts seen so far (Surefire's flaky elements, or earlier repeated testcases). */
  failedBefore: number;
  firstFailureMessage: string | undefined;
  attempts: number;
  order: number;
  name: string;
  classname: string | undefined;
  file: string | undefined;
  line: number | undefined;
}

interface Counts {
  /** Testcase elements (and suite-level failures), each attempt counted. */
  rawTests: number;
  rawFailing: number;
  rawSkipped: number;
  /** Distinct tests after folding attempts. */
  tests: number;
  failing: number;
  skipped: number;
}

interface SuiteFrame {
  name?: string;
  file?: string;
  suiteName?: string;
  line: number;
  declared: { tests?: number; failures?: number; errors?: number; skipped?: number };
  direct: Counts;
  subtree: Counts;
  /** Attempts by classname+name, in first-seen order. */
  tests: Map<string, Attempt>;
  /** `<failure>`/`<error>` directly under the suite. */
  suiteProblem?: Problem;
}

interface Problem {
  kind: 'failure' | 'error';
  message?: string;
  type?: string;
  text: string;
}

interface CaseFrame {
  name?: string;
  classname?: string;
  file?: string;
  line?: number;
  skipped: boolean;
  problems: Problem[];
  flakyAttempts: number;
  flakyMessage?: string;
}

const zero = (): Counts => ({ rawTests: 0, rawFailing: 0, rawSkipped: 0, tests: 0, failing: 0, skipped: 0 });

class JUnitReader implements XmlHandlers {
  private readonly out = emptyReport();
  private readonly suites: SuiteFrame[] = [];
  private testcase?: CaseFrame;
  /** The element whose text we keep (a failure's stack trace), and its depth. */
  private capture?: { problem: Problem; depth: number };
  private order = 0;
  private mismatchesDropped = 0;

  constructor(private readonly reportFile: string) {}

  result(): TestReport {
    if (this.mismatchesDropped > 0) {
      this.out.mismatches.push({
        reportFile: this.reportFile,
        suite: '',
        line: 0,
        message: `…and ${this.mismatchesDropped} more suites whose counts disagree`,
        blocking: this.out.mismatches.some((m) => m.blocking),
      });
    }
    return this.out;
  }

  open(name: string, attrs: Record<string, string>, depth: number, line: number): void {
    if (depth === 0 && name !== 'testsuites' && name !== 'testsuite') {
      throw new JUnitFormatError(
        this.reportFile,
        `root element is <${name}>, expected <testsuites> or <testsuite>`,
      );
    }
    const tc = this.testcase;
    if (tc) {
      this.openInCase(tc, name, attrs, depth);
      return;
    }
    if (name === 'testsuite' || name === 'testsuites') {
      const parent = this.suites[this.suites.length - 1];
      this.suites.push({
        name: val(attrs['name']),
        file: val(attrs['file']) ?? parent?.file,
        suiteName: val(attrs['name']) ?? parent?.suiteName,
        line,
        declared: {
          tests: count(attrs['tests']),
          failures: count(attrs['failures']),
          errors: count(attrs['errors']),
          // tst and googletest count disabled tests apart from skipped ones; we count both as skipped.
          skipped: sumDefined(count(attrs['skipped']), count(attrs['disabled'])),
        },
        direct: zero(),
        subtree: zero(),
        tests: new Map(),
      });
      return;
    }
    const suite = this.suites[this.suites.length - 1];
    if (!suite) return;
    if (name === 'testcase') {
      const status = val(attrs['status'])?.toLowerCase();
      this.testcase = {
        name: val(attrs['name']),
        classname: val(attrs['classname']) ?? val(attrs['class']),
        file: val(attrs['file']) ?? suite.file,
        line: lineOf(attrs['line'], suite.suiteName),
        skipped: status === 'disabled' || status === 'skipped' || status === 'notrun',
        problems: [],
        flakyAttempts: 0,
      };
    } else if ((name === 'failure' || name === 'error') && !suite.suiteProblem) {
      // Directly under the suite: the suite itself failed (setup, initialisation).
      suite.suiteProblem = { kind: name, message: val(attrs['message']), type: val(attrs['type']), text: '' };
      this.capture = { problem: suite.suiteProblem, depth };
    }
  }

  private openInCase(tc: CaseFrame, name: string, attrs: Record<string, string>, depth: number): void {
    switch (name) {
      case 'failure':
      case 'error': {
        const problem: Problem = {
          kind: name,
          message: val(attrs['message']),
          type: val(attrs['type']),
          text: '',
        };
        tc.problems.push(problem);
        this.capture ??= { problem, depth };
        break;
      }
      case 'skipped':
        tc.skipped = true;
        break;
      case 'flakyFailure':
      case 'flakyError':
        tc.flakyAttempts++;
        tc.flakyMessage ??= firstLine(val(attrs['message'])) ?? val(attrs['type']);
        break;
      // rerunFailure/rerunError repeat a <failure>/<error> that is already there: still failed.
    }
  }

  text(t: string): void {
    const c = this.capture;
    if (c && c.problem.text.length < TEXT_MAX_CHARS) c.problem.text += t;
  }

  close(name: string, depth: number): void {
    if (this.capture && this.capture.depth === depth) this.capture = undefined;
    if (this.testcase) {
      if (name === 'testcase') {
        this.endCase(this.testcase);
        this.testcase = undefined;
      }
      return;
    }
    if (name === 'testsuite' || name === 'testsuites') {
      const suite = this.suites.pop();
      if (suite) this.endSuite(suite);
    }
  }

  private endCase(tc: CaseFrame): void {
    const suite = this.suites[this.suites.length - 1] as SuiteFrame;
    const failed = tc.problems.length > 0;
    suite.direct.rawTests++;
    if (failed) suite.direct.rawFailing++;
    else if (tc.skipped) suite.direct.rawSkipped++;

    // pytest and Surefire write "" as the name of a class-level failure: the class names it.
    const name = tc.name ?? tc.classname ?? suite.name ?? '(unnamed test)';
    // Keyed by name alone (no string to build per test); a same name in another class is rare and
    // gets the longer key.
    let key = name;
    let a = suite.tests.get(key);
    if (a && a.classname !== tc.classname) {
      key = `${tc.classname ?? ''}\u0000${name}`;
      a = suite.tests.get(key);
    }
    if (!a) {
      // Every field set here, so all attempts share one shape.
      a = {
        outcome: 'passed',
        failure: undefined,
        failedBefore: 0,
        firstFailureMessage: undefined,
        attempts: 0,
        order: this.order++,
        name,
        classname: tc.classname,
        file: undefined,
        line: undefined,
      };
      suite.tests.set(key, a);
    }
    // The attempt before this one, if it failed, counts as a failed attempt of a flaky test.
    if (a.attempts > 0 && a.outcome === 'failed') {
      a.failedBefore++;
      a.firstFailureMessage ??= a.failure?.message;
    }
    a.attempts++;
    if (tc.file !== undefined) a.file = tc.file;
    if (tc.line !== undefined) a.line = tc.line;
    a.failure = undefined;
    if (failed) {
      a.outcome = 'failed';
      a.failure = this.failureOf(name, tc.classname, tc.file, tc.line, tc.problems);
    } else if (tc.skipped) {
      a.outcome = 'skipped';
    } else if (tc.flakyAttempts > 0 || a.attempts > 1) {
      a.outcome = 'flaky';
      a.failedBefore += tc.flakyAttempts;
      a.firstFailureMessage ??= tc.flakyMessage;
    } else {
      a.outcome = 'passed';
    }
  }

  private endSuite(suite: SuiteFrame): void {
    const d = suite.direct;
    if (suite.suiteProblem) {
      const p = suite.suiteProblem;
      const name = suite.name ?? '(unnamed suite)';
      d.rawTests++;
      d.rawFailing++;
      d.tests++;
      d.failing++;
      this.out.total++;
      this.out.failed++;
      this.out.failures.push(this.failureOf(name, undefined, suite.file, undefined, [p]));
    }
    const ordered = [...suite.tests.values()].sort((x, y) => x.order - y.order);
    for (const a of ordered) {
      d.tests++;
      this.out.total++;
      if (a.outcome === 'failed') {
        d.failing++;
        this.out.failed++;
        if (a.failure) this.out.failures.push(a.failure);
      } else if (a.outcome === 'skipped') {
        d.skipped++;
        this.out.skipped++;
      } else if (a.outcome === 'flaky') {
        this.out.flaky++;
        const f: FlakyTest = {
          name: a.name,
          failedAttempts: Math.max(1, a.failedBefore),
          message: a.firstFailureMessage ?? 'failed, then passed on a rerun',
          reportFile: this.reportFile,
        };
        if (a.classname !== undefined) f.classname = a.classname;
        if (a.file !== undefined) f.file = a.file;
        if (a.line !== undefined) f.line = a.line;
        this.out.flakyTests.push(f);
      }
    }
    const s = suite.subtree;
    for (const k of Object.keys(s) as (keyof Counts)[]) s[k] += d[k];
    this.reconcile(suite);
    const parent = this.suites[this.suites.length - 1];
    if (parent) for (const k of Object.keys(s) as (keyof Counts)[]) parent.subtree[k] += s[k];
  }

  /**
   * A suite's declared counts must match what it holds, counted one of the ways real tools count:
   * its own test cases or its whole subtree, each attempt or each distinct test.
   */
  private reconcile(suite: SuiteFrame): void {
    const { tests, failures, errors, skipped } = suite.declared;
    const views = [suite.direct, suite.subtree];
    const fits = (declared: number | undefined, pick: (c: Counts) => number[]): boolean =>
      declared === undefined || views.some((v) => pick(v).includes(declared));
    const problems: string[] = [];
    let blocking = false;
    if (failures !== undefined || errors !== undefined) {
      const declared = (failures ?? 0) + (errors ?? 0);
      const found = Math.max(...views.flatMap((v) => [v.rawFailing, v.failing]));
      if (declared > found) {
        blocking = true;
        problems.push(
          `declares ${declared} failures and errors but holds ${found} failed test(s): a failure may be hidden`,
        );
      } else if (!fits(declared, (v) => [v.rawFailing, v.failing])) {
        problems.push(
          `declares ${declared} failures and errors but holds ${suite.subtree.failing} failed test(s)`,
        );
      }
    }
    if (!fits(tests, (v) => [v.rawTests, v.tests]))
      problems.push(`declares ${tests} tests but holds ${suite.subtree.rawTests} test case(s)`);
    if (!fits(skipped, (v) => [v.rawSkipped, v.skipped]))
      problems.push(`declares ${skipped} skipped but holds ${suite.subtree.skipped} skipped test(s)`);
    if (problems.length === 0) return;
    const label = suite.name ?? '(unnamed suite)';
    const kept = this.out.mismatches.length < MAX_MISMATCHES;
    // A blocking mismatch is always kept, so the summary can name it.
    if (!kept && !blocking) {
      this.mismatchesDropped++;
      return;
    }
    this.out.mismatches.push({
      reportFile: this.reportFile,
      suite: label,
      line: suite.line,
      message: `suite "${label}" ${problems.join('; ')}`,
      blocking,
    });
  }

  private failureOf(
    name: string,
    classname: string | undefined,
    file: string | undefined,
    line: number | undefined,
    problems: Problem[],
  ): TestCaseFailure {
    const texts = problems.map((p) => p.text.trim()).filter((t) => t !== '');
    const first = problems[0] as Problem;
    const message =
      firstLine(first.message) ??
      firstLine(texts[0]) ??
      first.type ??
      (first.kind === 'failure' ? 'Test failed' : 'Test errored');
    const failure: TestCaseFailure = { name, message, reportFile: this.reportFile };
    if (classname !== undefined) failure.classname = classname;
    if (file !== undefined) failure.file = file;
    if (line !== undefined) failure.line = line;
    // A failure in the test and an error in its teardown both matter: keep both texts.
    if (texts.length > 0) failure.details = truncateUtf8(texts.join('\n\n'), DETAILS_MAX_BYTES);
    return failure;
  }
}

/**
 * The testcase's `line`, 1-based. pytest (junit_family=xunit1) writes its 0-based location, so
 * under pytest's default suite name we add one; everyone else already writes 1-based lines.
 */
function lineOf(raw: string | undefined, suiteName: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  // Digits only (a cheap loop: this runs once per test case).
  if (t.length === 0 || t.length > 9) return undefined;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  const n = Number(t) + (suiteName === 'pytest' ? 1 : 0);
  return n >= 1 ? n : undefined;
}

/** A non-empty, trimmed attribute value. */
function val(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

function count(v: string | undefined): number | undefined {
  return v !== undefined && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined;
}

function sumDefined(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);
}

function firstLine(s: string | undefined): string | undefined {
  return s
    ?.split('\n')
    .find((l) => l.trim() !== '')
    ?.trim();
}

/** Cuts `s` to at most `max` UTF-8 bytes, marker included, without splitting a character. */
function truncateUtf8(s: string, max: number): string {
  if (Buffer.byteLength(s, 'utf8') <= max) return s;
  const budget = max - Buffer.byteLength(TRUNCATED, 'utf8');
  let out = '';
  let used = 0;
  for (const ch of s) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (used + size > budget) break;
    out += ch;
    used += size;
  }
  return out + TRUNCATED;
}
