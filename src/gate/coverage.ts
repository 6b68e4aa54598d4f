/**
 * Coverage read from one report, whatever tool wrote it, the format detected from the content
 * (file names lie): lcov, Cobertura XML, JaCoCo XML, Clover XML, OpenCover XML, Go's coverprofile,
 * Istanbul's coverage-summary.json and coverage-final.json, SimpleCov's .resultset.json.
 *
 * Line-based formats and XML are streamed (a 20 MB lcov is never held whole); the JSON formats are
 * parsed whole (JSON has no useful streaming reader, and these files stay small).
 *
 * What is counted is what each tool itself calls its headline figure: lines for lcov, Cobertura,
 * JaCoCo, Istanbul and SimpleCov; statements for Go (what `go test -cover` prints) and Clover;
 * sequence points (statements) for OpenCover.
 *
 * `linesValid === 0` means the report measured nothing: we report `percent: 0` rather than guess
 * 100, and leave it to the caller to decide whether "nothing measured" passes the gate. The one
 * exception is a Cobertura report that carries only a `line-rate`: there the counts are unknown
 * (0) but `percent` is the tool's own rate.
 */
import fs from 'node:fs';
import { firstBytes, XmlReader, XmlSyntaxError, type XmlHandlers } from './xml';

export type CoverageFormat =
  | 'lcov'
  | 'cobertura'
  | 'jacoco'
  | 'clover'
  | 'opencover'
  | 'go-coverprofile'
  | 'istanbul-summary'
  | 'istanbul-final'
  | 'simplecov';

export interface CoverageReport {
  format: CoverageFormat;
  /** What was counted: lines, or statements where the tool measures those. */
  unit: 'lines' | 'statements';
  linesCovered: number;
  linesValid: number;
  /** 0-100, 2 decimals. */
  percent: number;
}

const ACCEPTED =
  'accepted formats: lcov, Cobertura XML, JaCoCo XML, Clover XML, OpenCover XML, Go coverprofile, Istanbul coverage-summary.json or coverage-final.json, SimpleCov .resultset.json';
const CONVERT =
  'to convert another format, ReportGenerator (`reportgenerator -reports:<file> -targetdir:out -reporttypes:Cobertura`) reads most of them';

/** The report is not one we can read. The message is one line, says what was seen, lists the accepted formats. */
export class CoverageFormatError extends Error {
  constructor(reason: string) {
    super(`Unreadable coverage report: ${reason}; ${ACCEPTED}; ${CONVERT}.`);
    this.name = 'CoverageFormatError';
  }
}

/** A reader for one format: fed text in chunks, then asked for the figures. */
interface Sink {
  write(chunk: string): void;
  end(): CoverageReport;
}

/** Parses a coverage report held in memory. */
export function parseCoverage(content: string): CoverageReport {
  const text = content.replace(/^\uFEFF/, '');
  const sink = sinkFor(text);
  sink.write(text);
  return sink.end();
}

/** Streams a coverage report from disk, 1 MiB at a time. */
export async function readCoverageFile(file: string): Promise<CoverageReport> {
  const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let sink: Sink | undefined;
  try {
    for await (const raw of stream) {
      let chunk = raw as string;
      if (!sink) {
        chunk = chunk.replace(/^\uFEFF/, '');
        // The first chunk is 1 MiB (or the whole file): plenty to tell the format.
        sink = sinkFor(chunk);
      }
      sink.write(chunk);
    }
  } finally {
    stream.destroy();
  }
  return (sink ?? sinkFor('')).end();
}

/** Picks the reader from the first characters of the report. */
function sinkFor(head: string): Sink {
  const start = head.trimStart();
  if (start === '') throw new CoverageFormatError('the file is empty');
  if (start.startsWith('{')) return new JsonSink();
  if (start.startsWith('<')) return new XmlSink();
  if (/^mode: *(set|count|atomic)\b/.test(start)) return new GoSink();
  const firstLine = start.slice(0, start.search(/\r?\n|$/));
  if (/^(TN|SF|VER|FN|FNDA|FNF|FNH|DA|LF|LH|BRDA|BRF|BRH|end_of_record)\b/.test(firstLine))
    return new LcovSink();
  throw new CoverageFormatError(`the file starts with "${firstBytes(start)}", which is none of them`);
}

/**
 * Percent with 2 decimals, rounded DOWN: a gate must never report 100.00 for 99.999, nor pass a
 * threshold the code does not meet. Integer numerator first so exact ratios stay exact.
 */
function percentOf(covered: number, valid: number): number {
  if (valid === 0) return 0;
  return Math.floor((covered * 10000) / valid) / 100;
}

function report(
  format: CoverageFormat,
  covered: number,
  valid: number,
  unit: CoverageReport['unit'] = 'lines',
): CoverageReport {
  if (covered > valid) {
    throw new CoverageFormatError(`${format} report says ${covered} ${unit} covered out of only ${valid}`);
  }
  return { format, unit, linesCovered: covered, linesValid: valid, percent: percentOf(covered, valid) };
}

/** A count as written in a report: a non-negative integer, or undefined if absent or malformed. */
function toCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/**
 * Feeds text to `onLine` one line at a time, across chunk boundaries, as (text, start, end): the
 * line is `text.slice(start, end)` without its line break, left unsliced so hot paths can read it
 * in place.
 */
class LineSplitter {
  private rest = '';
  private lineNo = 0;
  constructor(private readonly onLine: (text: string, start: number, end: number, lineNo: number) => void) {}
  write(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.onLine(text, start, end, ++this.lineNo);
      start = nl + 1;
    }
    this.rest = text.slice(start);
  }
  end(): void {
    const last = this.rest.replace(/\r$/, '');
    if (last !== '') this.onLine(last, 0, last.length, ++this.lineNo);
    this.rest = '';
  }
}

// ---- lcov -------------------------------------------------------------------------------------

/**
 * Sums LH/LF over all `SF:`...`end_of_record` records. A record without LF/LH (some generators
 * omit them) is counted from its DA lines instead; a line listed twice counts once. Records are
 * not merged by file name: lcov tools merge before writing, and we report what the file says.
 */
class LcovSink implements Sink {
  private covered = 0;
  private valid = 0;
  private lf?: number;
  private lh?: number;
  /** The record's DA lines as `line * 2 + (hit ? 1 : 0)`: cheaper than a Map on a 20 MB file. */
  private readonly da: number[] = [];
  private inRecord = false;
  private sawRecord = false;
  private readonly lines = new LineSplitter((text, start, end, n) => this.line(text, start, end, n));

  write(chunk: string): void {
    this.lines.write(chunk);
  }

  end(): CoverageReport {
    this.lines.end();
    this.flush();
    if (!this.sawRecord) throw new CoverageFormatError('lcov without any SF/LF/LH/DA record');
    return report('lcov', this.covered, this.valid);
  }

  private flush(): void {
    if (!this.inRecord) return;
    if (this.lf !== undefined && this.lh !== undefined) {
      this.covered += this.lh;
      this.valid += this.lf;
    } else {
      // Only here do DA lines count: a line listed twice (two gcov runs) counts once, hit if any was.
      const lines = new Map<number, boolean>();
      for (const v of this.da) {
        const n = Math.floor(v / 2);
        lines.set(n, (lines.get(n) ?? false) || v % 2 === 1);
      }
      for (const hit of lines.values()) if (hit) this.covered++;
      this.valid += lines.size;
    }
    this.lf = this.lh = undefined;
    this.da.length = 0;
    this.inRecord = false;
  }

  private line(text: string, start: number, end: number, n: number): void {
    // The hot path: DA:<line>,<hits>[,<checksum>] lines are most of a large lcov; read the digits
    // in place. Anything unusual (signs aside) goes the careful way below.
    if (
      text.charCodeAt(start) === 68 &&
      text.charCodeAt(start + 1) === 65 &&
      text.charCodeAt(start + 2) === 58
    ) {
      let i = start + 3;
      let lineNo = 0;
      for (; i < end && i < start + 13; i++) {
        const c = text.charCodeAt(i);
        if (c < 48 || c > 57) break;
        lineNo = lineNo * 10 + (c - 48);
      }
      if (i > start + 3 && text.charCodeAt(i) === 44) {
        const hitsStart = ++i;
        if (text.charCodeAt(i) === 45) i++; // broken gcov data writes negative counts: not a hit
        let hits = 0;
        const digits = i;
        for (; i < end && i < digits + 15; i++) {
          const c = text.charCodeAt(i);
          if (c < 48 || c > 57) break;
          hits = hits * 10 + (c - 48);
        }
        if (i > digits && (i === end || text.charCodeAt(i) === 44)) {
          this.inRecord = this.sawRecord = true;
          this.da.push(lineNo * 2 + (hits > 0 && text.charCodeAt(hitsStart) !== 45 ? 1 : 0));
          return;
        }
      }
    }
    const raw = text.slice(start, end);
    if (raw.startsWith('DA:')) {
      const comma = raw.indexOf(',', 3);
      const comma2 = comma === -1 ? -1 : raw.indexOf(',', comma + 1);
      const lineNo = comma === -1 ? NaN : Number(raw.slice(3, comma));
      const hitsText = comma === -1 ? '' : raw.slice(comma + 1, comma2 === -1 ? undefined : comma2);
      const hits = Number(hitsText);
      if (!Number.isInteger(lineNo) || lineNo < 0 || hitsText.trim() === '' || !Number.isFinite(hits))
        throw new CoverageFormatError(`lcov line ${n} has a malformed DA`);
      this.inRecord = this.sawRecord = true;
      this.da.push(lineNo * 2 + (hits > 0 ? 1 : 0));
      return;
    }
    const line = raw.trim();
    // An indented DA line: read it as one.
    if (line !== raw && line.startsWith('DA:')) return this.line(line, 0, line.length, n);
    const colon = line.indexOf(':');
    const tag = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1);
    switch (tag) {
      case 'SF':
        this.flush();
        this.inRecord = this.sawRecord = true;
        break;
      case 'end_of_record':
        this.flush();
        break;
      case 'LF':
      case 'LH': {
        const v = toCount(value);
        if (v === undefined) throw new CoverageFormatError(`lcov line ${n} has a malformed ${tag}`);
        if (tag === 'LF') this.lf = v;
        else this.lh = v;
        this.inRecord = this.sawRecord = true;
        break;
      }
      default:
        // TN, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, VER, blank lines: not line coverage. Anything
        // else means this is not lcov at all.
        if (line !== '' && !/^[A-Z]{2,4}$/.test(tag)) {
          throw new CoverageFormatError(`line ${n} is not an lcov record: "${firstBytes(line)}"`);
        }
    }
  }
}

// ---- Go coverprofile --------------------------------------------------------------------------

/**
 * `mode: set|count|atomic`, then `file:l0.c0,l1.c1 statements count` per block. Profiles merged
 * by concatenation repeat blocks (and the mode line): a block counts once, covered if any copy
 * was hit, as `go tool cover` merges them. The figure is statements, as `go test -cover` prints.
 */
class GoSink implements Sink {
  private readonly blocks = new Map<string, { statements: number; hit: boolean }>();
  private readonly lines = new LineSplitter((text, start, end, n) => this.line(text.slice(start, end), n));

  write(chunk: string): void {
    this.lines.write(chunk);
  }

  end(): CoverageReport {
    this.lines.end();
    let covered = 0;
    let valid = 0;
    for (const b of this.blocks.values()) {
      valid += b.statements;
      if (b.hit) covered += b.statements;
    }
    return report('go-coverprofile', covered, valid, 'statements');
  }

  private line(raw: string, n: number): void {
    const line = raw.trim();
    if (line === '' || line.startsWith('mode:')) return;
    const space2 = line.lastIndexOf(' ');
    const space1 = line.lastIndexOf(' ', space2 - 1);
    const statements = toCount(line.slice(space1 + 1, space2));
    const count = toCount(line.slice(space2 + 1));
    const block = line.slice(0, space1);
    if (space1 <= 0 || statements === undefined || count === undefined || !/:\d+\.\d+,\d+\.\d+$/.test(block))
      throw new CoverageFormatError(
        `Go coverprofile line ${n} is not "file:line.col,line.col statements count"`,
      );
    const known = this.blocks.get(block);
    if (known) known.hit ||= count > 0;
    else this.blocks.set(block, { statements, hit: count > 0 });
  }
}

// ---- XML: Cobertura, JaCoCo, Clover, OpenCover -------------------------------------------------

/** Reads the root element, then hands every event to the reader for that format. */
class XmlSink implements Sink {
  private format?: XmlFormat;
  private readonly reader: XmlReader;

  constructor() {
    const handlers: XmlHandlers = {
      open: (name, attrs, depth) => {
        if (depth === 0) this.format = xmlFormatFor(name, attrs);
        this.format?.open(name, attrs, depth);
      },
      close: (name, depth) => this.format?.close?.(name, depth),
    };
    this.reader = new XmlReader(handlers);
  }

  write(chunk: string): void {
    try {
      this.reader.write(chunk);
    } catch (err) {
      throw this.wrap(err);
    }
  }

  end(): CoverageReport {
    try {
      this.reader.end();
    } catch (err) {
      throw this.wrap(err);
    }
    if (!this.format) throw new CoverageFormatError('XML without a root element');
    return this.format.result();
  }

  private wrap(err: unknown): unknown {
    if (err instanceof XmlSyntaxError) {
      const what = this.format ? `${this.format.name} XML` : 'XML';
      return new CoverageFormatError(`${what} is ${err.message.replace(/^malformed XML/, 'malformed')}`);
    }
    return err;
  }
}

interface XmlFormat {
  name: string;
  open(name: string, attrs: Record<string, string>, depth: number): void;
  close?(name: string, depth: number): void;
  result(): CoverageReport;
}

function xmlFormatFor(root: string, attrs: Record<string, string>): XmlFormat {
  switch (root) {
    case 'coverage':
      // Clover's root is <coverage> too; it has a `clover` version attribute and a <project>.
      return 'clover' in attrs ? new CloverXml() : new CoberturaXml(attrs);
    case 'report':
      return new JacocoXml();
    case 'CoverageSession':
      return new OpenCoverXml();
    default:
      throw new CoverageFormatError(
        `XML whose root element is <${root}>${root === 'testsuites' || root === 'testsuite' ? ' (a JUnit test report: set it in junit-files)' : ''}`,
      );
  }
}

/**
 * Cobertura (Java Cobertura, coverage.py, gcovr, istanbul, coverlet...). The totals on the root
 * when present; else `packages > package > classes > class > lines > line` counted ourselves
 * (lines under `class > methods` repeat the class's lines; a (file, line) pair in two classes,
 * as Java inner classes share a file, counts once); else the root's `line-rate`.
 */
class CoberturaXml implements XmlFormat {
  /** PHPUnit's Clover has a bare `<coverage>` root: its `<project>` child tells. */
  private clover?: CloverXml;
  get name(): string {
    return this.clover ? this.clover.name : 'Cobertura';
  }
  private readonly covered?: number;
  private readonly valid?: number;
  private readonly rate?: number;
  private file = '';
  private readonly hitsByLine = new Map<string, boolean>();

  constructor(attrs: Record<string, string>) {
    this.covered = toCount(attrs['lines-covered']);
    this.valid = toCount(attrs['lines-valid']);
    const rate = attrs['line-rate'];
    const n = rate === undefined || rate.trim() === '' ? NaN : Number(rate);
    if (Number.isFinite(n) && n >= 0 && n <= 1) this.rate = n;
  }

  open(name: string, attrs: Record<string, string>, depth: number): void {
    if (depth === 1 && name === 'project' && this.valid === undefined && this.rate === undefined)
      this.clover ??= new CloverXml();
    if (this.clover) {
      this.clover.open(name, attrs, depth);
      return;
    }
    // Once the root has the totals there is nothing to count.
    if (this.covered !== undefined && this.valid !== undefined) return;
    if (name === 'class' && depth === 4) this.file = attrs['filename'] ?? attrs['name'] ?? '';
    else if (name === 'line' && depth === 6) {
      const number = attrs['number'];
      const hits = Number(attrs['hits']);
      if (number === undefined || !Number.isFinite(hits))
        throw new CoverageFormatError(`Cobertura <line> in ${this.file || 'a class'} without number/hits`);
      const key = `${this.file}\0${number}`;
      this.hitsByLine.set(key, (this.hitsByLine.get(key) ?? false) || hits > 0);
    }
  }

  result(): CoverageReport {
    if (this.clover) return this.clover.result();
    if (this.covered !== undefined && this.valid !== undefined)
      return report('cobertura', this.covered, this.valid);
    if (this.hitsByLine.size > 0) {
      let covered = 0;
      for (const hit of this.hitsByLine.values()) if (hit) covered++;
      return report('cobertura', covered, this.hitsByLine.size);
    }
    // Only a rate: trust it for the percent (already rounded by the tool, so round, not floor).
    if (this.rate !== undefined)
      return {
        format: 'cobertura',
        unit: 'lines',
        linesCovered: 0,
        linesValid: 0,
        percent: Math.round(this.rate * 10000) / 100,
      };
    throw new CoverageFormatError(
      '<coverage> XML without lines-covered/lines-valid, <line> elements or line-rate',
    );
  }
}

/** JaCoCo: the report's own `<counter type="LINE" missed covered>` (a direct child of `<report>`). */
class JacocoXml implements XmlFormat {
  readonly name = 'JaCoCo';
  private covered?: number;
  private missed?: number;
  private sawElements = false;

  open(name: string, attrs: Record<string, string>, depth: number): void {
    if (depth === 1 && (name === 'package' || name === 'group')) this.sawElements = true;
    if (depth === 1 && name === 'counter' && attrs['type'] === 'LINE') {
      this.covered = toCount(attrs['covered']);
      this.missed = toCount(attrs['missed']);
      if (this.covered === undefined || this.missed === undefined)
        throw new CoverageFormatError('JaCoCo report-level LINE counter without covered/missed counts');
    }
  }

  result(): CoverageReport {
    if (this.covered !== undefined && this.missed !== undefined)
      return report('jacoco', this.covered, this.covered + this.missed);
    if (this.sawElements) throw new CoverageFormatError('JaCoCo XML without a report-level LINE counter');
    return report('jacoco', 0, 0); // an empty report: nothing measured
  }
}

/**
 * Clover (OpenClover, PHPUnit, istanbul): `<project><metrics statements coveredstatements>`.
 * Clover counts statements; istanbul's clover writer puts its line counts there.
 */
class CloverXml implements XmlFormat {
  readonly name = 'Clover';
  private covered?: number;
  private valid?: number;

  open(name: string, attrs: Record<string, string>, depth: number): void {
    if (depth === 2 && name === 'metrics' && this.valid === undefined) {
      this.valid = toCount(attrs['statements']);
      this.covered = toCount(attrs['coveredstatements']);
      if (this.valid === undefined || this.covered === undefined)
        throw new CoverageFormatError('Clover project <metrics> without statements/coveredstatements');
    }
  }

  result(): CoverageReport {
    if (this.valid === undefined || this.covered === undefined)
      throw new CoverageFormatError('Clover XML without project <metrics>');
    return report('clover', this.covered, this.valid, 'statements');
  }
}

/** OpenCover (and coverlet, AltCover in OpenCover mode): the session `<Summary>`'s sequence points. */
class OpenCoverXml implements XmlFormat {
  readonly name = 'OpenCover';
  private covered?: number;
  private valid?: number;

  open(name: string, attrs: Record<string, string>, depth: number): void {
    if (depth === 1 && name === 'Summary') {
      this.valid = toCount(attrs['numSequencePoints']);
      this.covered = toCount(attrs['visitedSequencePoints']);
      if (this.valid === undefined || this.covered === undefined)
        throw new CoverageFormatError('OpenCover <Summary> without numSequencePoints/visitedSequencePoints');
    }
  }

  result(): CoverageReport {
    if (this.valid === undefined || this.covered === undefined)
      throw new CoverageFormatError('OpenCover XML without a session <Summary>');
    return report('opencover', this.covered, this.valid, 'statements');
  }
}

// ---- JSON: Istanbul summary and final, SimpleCov -----------------------------------------------

class JsonSink implements Sink {
  private readonly parts: string[] = [];

  write(chunk: string): void {
    this.parts.push(chunk);
  }

  end(): CoverageReport {
    let json: unknown;
    try {
      json = JSON.parse(this.parts.join(''));
    } catch (err) {
      throw new CoverageFormatError(`looks like JSON but does not parse (${(err as Error).message})`);
    }
    if (!isObject(json)) throw new CoverageFormatError('JSON that is not an object');
    const lines = field(field(json, 'total'), 'lines');
    if (lines !== undefined) return istanbulSummary(lines);
    const values = Object.values(json);
    if (values.length > 0 && values.every((v) => isObject(v) && isObject(field(v, 'coverage'))))
      return simpleCov(values);
    if (
      values.length > 0 &&
      values.every(
        (v) => isObject(v) && isObject(field(v, 'statementMap') ?? field(field(v, 'data'), 'statementMap')),
      )
    )
      return istanbulFinal(values);
    if (values.length === 0) throw new CoverageFormatError('an empty JSON object');
    throw new CoverageFormatError(
      `JSON with keys ${Object.keys(json)
        .slice(0, 3)
        .map((k) => `"${firstBytes(k, 40)}"`)
        .join(
          ', ',
        )}, neither total.lines (coverage-summary.json), per-file statementMap (coverage-final.json) nor per-suite coverage (.resultset.json)`,
    );
  }
}

function istanbulSummary(lines: unknown): CoverageReport {
  const covered = toCount(field(lines, 'covered'));
  const total = toCount(field(lines, 'total'));
  if (covered === undefined || total === undefined)
    throw new CoverageFormatError('coverage-summary.json without total.lines.covered/total.lines.total');
  return report('istanbul-summary', covered, total);
}

/**
 * coverage-final.json: per file, statements with a location and a hit count. Istanbul's own line
 * figure: a line is the start line of one or more statements, covered if any of them ran.
 */
function istanbulFinal(files: unknown[]): CoverageReport {
  let covered = 0;
  let valid = 0;
  for (const raw of files) {
    const f = field(raw, 'statementMap') ? raw : field(raw, 'data');
    const map = field(f, 'statementMap');
    const hits = field(f, 's');
    if (!isObject(map) || !isObject(hits))
      throw new CoverageFormatError('coverage-final.json file entry without statementMap and s');
    const lines = new Map<number, boolean>();
    for (const [id, loc] of Object.entries(map)) {
      const line = field(field(loc, 'start'), 'line');
      const n = field(hits, id);
      if (typeof line !== 'number' || typeof n !== 'number')
        throw new CoverageFormatError(`coverage-final.json statement ${id} without start.line or a count`);
      lines.set(line, (lines.get(line) ?? false) || n > 0);
    }
    valid += lines.size;
    for (const hit of lines.values()) if (hit) covered++;
  }
  return report('istanbul-final', covered, valid);
}

/**
 * .resultset.json: `{ "<command>": { "coverage": { "<file>": { "lines": [...] } | [...] } } }`;
 * `null` is not code, 0 not run, n run n times; several commands (RSpec, Minitest) are merged per
 * file and line, as SimpleCov does.
 */
function simpleCov(suites: unknown[]): CoverageReport {
  const files = new Map<string, (number | null)[]>();
  for (const suite of suites) {
    for (const [file, entry] of Object.entries(field(suite, 'coverage') as Record<string, unknown>)) {
      const lines = Array.isArray(entry) ? entry : field(entry, 'lines');
      if (!Array.isArray(lines))
        throw new CoverageFormatError(`.resultset.json entry for ${file} without a lines array`);
      const merged = files.get(file) ?? [];
      lines.forEach((v, i) => {
        if (typeof v !== 'number') return; // null: not code; "ignored": excluded by :nocov:
        merged[i] = Math.max(merged[i] ?? 0, v);
      });
      files.set(file, merged);
    }
  }
  let covered = 0;
  let valid = 0;
  for (const lines of files.values()) {
    for (const v of lines) {
      if (typeof v !== 'number') continue;
      valid++;
      if (v > 0) covered++;
    }
  }
  return report('simplecov', covered, valid);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function field(obj: unknown, key: string): unknown {
  return isObject(obj) ? obj[key] : undefined;
}
