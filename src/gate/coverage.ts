import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Line coverage read from one report.
 *
 * `linesValid === 0` means the report measured nothing (an empty lcov, an empty Cobertura report):
 * we report `percent: 0` rather than guessing 100, and leave it to the caller to decide whether
 * "nothing measured" passes the gate. The one exception is a Cobertura report that carries only a
 * `line-rate` and no counts or `<line>` elements: there the counts are unknown (0) but `percent` is
 * the tool's own rate.
 */
export interface CoverageReport {
  format: 'lcov' | 'cobertura' | 'istanbul-summary';
  linesCovered: number;
  linesValid: number;
  /** 0-100, 2 decimals. */
  percent: number;
}

const ACCEPTED =
  'accepted formats: lcov (lcov.info), Cobertura XML (coverage.xml), Istanbul coverage-summary.json (json-summary reporter)';

/** The report is not one we can read. The message is one line and lists the accepted formats. */
export class CoverageFormatError extends Error {
  constructor(reason: string) {
    super(`Unrecognised coverage report: ${reason}; ${ACCEPTED}.`);
    this.name = 'CoverageFormatError';
  }
}

/** Parses a coverage report, detecting its format from the content (file names lie). */
export function parseCoverage(content: string): CoverageReport {
  // A UTF-8 BOM is common in reports written on Windows; it is not content.
  const text = content.replace(/^\uFEFF/, '').trim();
  if (text === '') throw new CoverageFormatError('the file is empty');
  if (text.startsWith('{')) return parseIstanbulSummary(text);
  if (text.startsWith('<')) return parseCobertura(text);
  return parseLcov(text);
}

/**
 * Percent with 2 decimals, rounded DOWN: a gate must never report 100.00 for 99.999, nor pass a
 * threshold the code does not meet. Integer numerator first so exact ratios stay exact.
 */
function percentOf(covered: number, valid: number): number {
  if (valid === 0) return 0;
  return Math.floor((covered * 10000) / valid) / 100;
}

function report(format: CoverageReport['format'], covered: number, valid: number): CoverageReport {
  if (covered > valid) {
    throw new CoverageFormatError(`${format} report says ${covered} lines covered out of only ${valid}`);
  }
  return { format, linesCovered: covered, linesValid: valid, percent: percentOf(covered, valid) };
}

/** A count as written in a report: a non-negative integer, or undefined if absent or malformed. */
function toCount(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

// ---- Istanbul coverage-summary.json -----------------------------------------------------------

function parseIstanbulSummary(text: string): CoverageReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CoverageFormatError('looks like JSON but does not parse');
  }
  const lines = field(field(json, 'total'), 'lines');
  const covered = toCount(field(lines, 'covered'));
  const total = toCount(field(lines, 'total'));
  if (covered === undefined || total === undefined) {
    // coverage-final.json (the per-statement map) is the usual mistake: say so.
    throw new CoverageFormatError('JSON without total.lines.covered/total.lines.total');
  }
  return report('istanbul-summary', covered, total);
}

function field(obj: unknown, key: string): unknown {
  return typeof obj === 'object' && obj !== null ? (obj as Record<string, unknown>)[key] : undefined;
}

// ---- Cobertura XML ----------------------------------------------------------------------------

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseAttributeValue: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Only the elements we walk; everything else may come out as object or array, we don't care.
  isArray: (name) => ['package', 'class', 'line'].includes(name),
});

function parseCobertura(text: string): CoverageReport {
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    throw new CoverageFormatError(`malformed XML at line ${valid.err.line}: ${valid.err.msg}`);
  }
  const root = field(xml.parse(text), 'coverage');
  if (typeof root !== 'object' || root === null) {
    throw new CoverageFormatError('XML whose root element is not <coverage>');
  }

  // 1. The totals Cobertura (Java), coverage.py, gcovr and istanbul all write on the root.
  const covered = toCount(field(root, '@_lines-covered'));
  const total = toCount(field(root, '@_lines-valid'));
  if (covered !== undefined && total !== undefined) return report('cobertura', covered, total);

  // 2. Count the per-class <line hits> ourselves.
  const counted = countClassLines(root);
  if (counted) return report('cobertura', counted.covered, counted.valid);

  // 3. Only a rate: trust it for the percent (it is already rounded by the tool, so round, not floor).
  const rateText = field(root, '@_line-rate');
  const rate = typeof rateText === 'string' ? Number(rateText) : NaN;
  if (rateText !== '' && Number.isFinite(rate) && rate >= 0 && rate <= 1) {
    return { format: 'cobertura', linesCovered: 0, linesValid: 0, percent: Math.round(rate * 10000) / 100 };
  }
  // Clover XML also has a <coverage> root, but none of the above.
  throw new CoverageFormatError(
    '<coverage> XML without lines-covered/lines-valid, <line> elements or line-rate',
  );
}

/**
 * Counts `coverage > packages > package > classes > class > lines > line`. Lines under
 * `class > methods` repeat the class's lines, so they are skipped. A (file, line) pair that appears
 * in two classes (Java inner classes share a file) is counted once, covered if either hit it.
 * Returns undefined when there are no lines at all, so the caller can fall back to line-rate.
 */
function countClassLines(root: object): { covered: number; valid: number } | undefined {
  const hitsByLine = new Map<string, boolean>();
  for (const pkg of asArray(field(field(root, 'packages'), 'package'))) {
    for (const cls of asArray(field(field(pkg, 'classes'), 'class'))) {
      const file = String(field(cls, '@_filename') ?? field(cls, '@_name') ?? '');
      for (const line of asArray(field(field(cls, 'lines'), 'line'))) {
        const number = field(line, '@_number');
        const hits = Number(field(line, '@_hits'));
        if (typeof number !== 'string' || !Number.isFinite(hits)) {
          throw new CoverageFormatError(`Cobertura <line> in ${file || 'a class'} without number/hits`);
        }
        const key = `${file}\0${number}`;
        hitsByLine.set(key, (hitsByLine.get(key) ?? false) || hits > 0);
      }
    }
  }
  if (hitsByLine.size === 0) return undefined;
  let covered = 0;
  for (const hit of hitsByLine.values()) if (hit) covered++;
  return { covered, valid: hitsByLine.size };
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null || value === '') return [];
  return Array.isArray(value) ? value : [value];
}

// ---- lcov -------------------------------------------------------------------------------------

interface LcovRecord {
  lf?: number;
  lh?: number;
  /** line number -> hit at least once; a line listed twice counts once. */
  da: Map<number, boolean>;
}

/**
 * Sums LH/LF over all `SF:`...`end_of_record` records. A record without LF/LH (some generators
 * omit them) is counted from its DA lines instead. Records are not merged by file name: lcov
 * tools merge before writing, and we report what the file says.
 */
function parseLcov(text: string): CoverageReport {
  const records: LcovRecord[] = [];
  let current: LcovRecord | undefined;
  let sawLcovLine = false;
  const open = (): LcovRecord => {
    current ??= { da: new Map() };
    return current;
  };

  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const colon = line.indexOf(':');
    const tag = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1);
    const bad = (what: string) => new CoverageFormatError(`lcov line ${index + 1} has a malformed ${what}`);
    switch (tag) {
      case 'SF':
        if (current) records.push(current);
        current = { da: new Map() };
        sawLcovLine = true;
        break;
      case 'end_of_record':
        if (current) records.push(current);
        current = undefined;
        break;
      case 'LF':
      case 'LH': {
        const n = toCount(value);
        if (n === undefined) throw bad(tag);
        open()[tag === 'LF' ? 'lf' : 'lh'] = n;
        sawLcovLine = true;
        break;
      }
      case 'DA': {
        // DA:<line>,<hits>[,<checksum>]; hits can be negative in some gcov output: not a hit.
        const [lineNo, hits] = value.split(',');
        const n = toCount(lineNo);
        const h = Number(hits);
        if (n === undefined || hits === undefined || hits.trim() === '' || !Number.isFinite(h))
          throw bad('DA');
        const da = open().da;
        da.set(n, (da.get(n) ?? false) || h > 0);
        sawLcovLine = true;
        break;
      }
      default:
        // TN, FN, FNDA, FNF, FNH, BRDA, BRF, BRH, VER, blank lines: not line coverage. Anything
        // else means this is not lcov at all.
        if (line !== '' && !/^[A-Z]{2,4}$/.test(tag)) {
          throw new CoverageFormatError(`line ${index + 1} is not an lcov record`);
        }
    }
  }
  if (current) records.push(current);
  if (!sawLcovLine) throw new CoverageFormatError('no SF/LF/LH/DA records found');

  let covered = 0;
  let valid = 0;
  for (const r of records) {
    if (r.lf !== undefined && r.lh !== undefined) {
      covered += r.lh;
      valid += r.lf;
    } else {
      for (const hit of r.da.values()) if (hit) covered++;
      valid += r.da.size;
    }
  }
  return report('lcov', covered, valid);
}
