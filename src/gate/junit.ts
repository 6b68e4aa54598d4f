import { XMLParser, XMLValidator } from 'fast-xml-parser';

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

export interface TestReport {
  total: number;
  failed: number;
  skipped: number;
  failures: TestCaseFailure[];
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
const TRUNCATED = '\n… (truncated)';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  // Numeric character references (&#10; in pytest messages) are only decoded with this on.
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => ['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

type Node = Record<string, unknown>;

/**
 * Reads one JUnit XML report: a `<testsuites>` or bare `<testsuite>` root, suites nested to any
 * depth. Counts come from the `<testcase>` elements, not from the suites' `tests`/`failures`
 * attributes, which some tools get wrong. A testcase with `<failure>` or `<error>` is failed
 * (even if it also has `<skipped>`); one with only `<skipped>` is skipped. Surefire's
 * `<flakyFailure>`/`<rerunFailure>` (failed, then passed on rerun) are not failures.
 */
export function parseJUnit(xml: string, sourceFile: string): TestReport {
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new JUnitFormatError(sourceFile, 'the file is empty');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new JUnitFormatError(sourceFile, `malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }

  const doc = parser.parse(text) as Node;
  const roots = Object.keys(doc);
  const rootName = roots[0];
  if (roots.length !== 1 || rootName === undefined) {
    throw new JUnitFormatError(sourceFile, `expected one root element, found ${roots.length}`);
  }
  if (rootName !== 'testsuites' && rootName !== 'testsuite') {
    throw new JUnitFormatError(
      sourceFile,
      `root element is <${rootName}>, expected <testsuites> or <testsuite>`,
    );
  }
  const rootNodes = asNodes(doc[rootName]);
  if (rootNodes.length !== 1) {
    throw new JUnitFormatError(sourceFile, `expected one root element, found ${rootNodes.length}`);
  }

  const result: TestReport = { total: 0, failed: 0, skipped: 0, failures: [] };
  walkSuite(rootNodes[0] as Node, { reportFile: sourceFile }, result);
  return result;
}

/** Sums reports from several files; failures keep their order and their `reportFile`. */
export function mergeReports(reports: TestReport[]): TestReport {
  const merged: TestReport = { total: 0, failed: 0, skipped: 0, failures: [] };
  for (const r of reports) {
    merged.total += r.total;
    merged.failed += r.failed;
    merged.skipped += r.skipped;
    merged.failures.push(...r.failures);
  }
  return merged;
}

/** What a testcase inherits from its enclosing suites. */
interface SuiteContext {
  reportFile: string;
  /** PHPUnit and others put `file` on the suite only. */
  file?: string;
  /** Name of the innermost suite; pytest's default is "pytest". */
  suiteName?: string;
}

function walkSuite(suite: Node, ctx: SuiteContext, out: TestReport): void {
  const here: SuiteContext = {
    reportFile: ctx.reportFile,
    file: attr(suite, 'file') ?? ctx.file,
    suiteName: attr(suite, 'name') ?? ctx.suiteName,
  };
  for (const tc of asNodes(suite['testcase'])) readTestCase(tc, here, out);
  // <testsuites> inside <testsuites> is not in any schema, but costs nothing to accept.
  for (const child of [...asNodes(suite['testsuite']), ...asNodes(suite['testsuites'])]) {
    walkSuite(child, here, out);
  }
}

function readTestCase(tc: Node, ctx: SuiteContext, out: TestReport): void {
  out.total++;
  const problems = [...asNodes(tc['failure']), ...asNodes(tc['error'])];
  if (problems.length === 0) {
    if (tc['skipped'] !== undefined) out.skipped++;
    return;
  }
  out.failed++;

  const name = attr(tc, 'name') ?? '(unnamed test)';
  const classname = attr(tc, 'classname');
  const file = attr(tc, 'file') ?? ctx.file;
  const line = lineOf(tc, ctx);
  const texts = problems.map((p) => textOf(p)).filter((t) => t !== '');
  const first = problems[0] as Node;
  const message =
    attr(first, 'message')
      ?.split('\n')
      .find((l) => l.trim() !== '') ??
    texts[0]?.split('\n').find((l) => l.trim() !== '') ??
    attr(first, 'type') ??
    (tc['failure'] !== undefined ? 'Test failed' : 'Test errored');

  const failure: TestCaseFailure = { name, message: message.trim(), reportFile: ctx.reportFile };
  if (classname !== undefined) failure.classname = classname;
  if (file !== undefined) failure.file = file;
  if (line !== undefined) failure.line = line;
  // A failure in the test and an error in its teardown both matter: keep both texts.
  if (texts.length > 0) failure.details = truncateUtf8(texts.join('\n\n'), DETAILS_MAX_BYTES);
  out.failures.push(failure);
}

/**
 * The testcase's `line`, 1-based. pytest (junit_family=xunit1) writes its 0-based location, so
 * under pytest's default suite name we add one; everyone else already writes 1-based lines.
 */
function lineOf(tc: Node, ctx: SuiteContext): number | undefined {
  const raw = attr(tc, 'line');
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  const n = Number(raw) + (ctx.suiteName === 'pytest' ? 1 : 0);
  return n >= 1 ? n : undefined;
}

/** A non-empty, trimmed attribute value. */
function attr(node: Node, name: string): string | undefined {
  const v = node[`@_${name}`];
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

/** An element's text; the parser gives a bare string when it has no attributes. */
function textOf(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'object' && node !== null) {
    const t = (node as Node)['#text'];
    if (typeof t === 'string') return t.trim();
  }
  return '';
}

/** Elements as objects; `<skipped/>` and text-only elements come out as strings, so wrap them. */
function asNodes(value: unknown): Node[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => (typeof v === 'object' && v !== null ? (v as Node) : { '#text': String(v) }));
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
