import { readFileSync } from 'node:fs';
import { CoverageFormatError, parseCoverage } from '../../src/gate/coverage';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/gate/${name}`, import.meta.url), 'utf8');

describe('parseCoverage: lcov', () => {
  it('sums LH and LF over every file in a jest/istanbul lcov.info', () => {
    // app.ts 8/9, routes/health.ts 6/6, db/pool.ts 13/20
    expect(parseCoverage(fixture('lcov.info'))).toEqual({
      format: 'lcov',
      unit: 'lines',
      linesCovered: 27,
      linesValid: 35,
      percent: 77.14,
    });
  });

  it('counts DA lines when LF/LH are missing, and gets the same answer', () => {
    const withoutTotals = fixture('lcov.info').replace(/^L[FH]:\d+\n/gm, '');
    expect(withoutTotals).not.toMatch(/^LF:/m);
    expect(parseCoverage(withoutTotals)).toMatchObject({ linesCovered: 27, linesValid: 35, percent: 77.14 });
  });

  it('mixes records with and without LF/LH, counting a repeated DA line once', () => {
    const lcov = [
      'SF:a.c',
      'DA:1,1',
      'DA:2,0',
      'DA:2,5', // same line again (two gcov runs): covered once
      'DA:3,-1', // negative counts from broken gcov data are not hits
      '  DA:4,0', // indented
      'end_of_record',
      'SF:b.c',
      'DA:1,1,d41d8cd98f00b204e9800998ecf8427e', // optional checksum
      'LF:4',
      'LH:1',
      'end_of_record',
    ].join('\r\n'); // Windows line endings
    expect(parseCoverage(lcov)).toEqual({
      format: 'lcov',
      unit: 'lines',
      linesCovered: 3,
      linesValid: 8,
      percent: 37.5,
    });
  });

  it('rounds the percent down so a gate never passes on rounding', () => {
    const lcov = 'SF:x.ts\nLF:100000\nLH:99999\nend_of_record\n';
    expect(parseCoverage(lcov).percent).toBe(99.99);
    expect(parseCoverage('SF:y.ts\nLF:3\nLH:2\nend_of_record').percent).toBe(66.66);
  });

  it('reports 0 of 0 as percent 0 (the caller decides what that means)', () => {
    expect(parseCoverage('TN:\nSF:src/empty.ts\nLF:0\nLH:0\nend_of_record\n')).toEqual({
      format: 'lcov',
      unit: 'lines',
      linesCovered: 0,
      linesValid: 0,
      percent: 0,
    });
  });

  it('rejects malformed or impossible numbers', () => {
    expect(() => parseCoverage('SF:a.ts\nLF:ten\nend_of_record')).toThrow(/lcov line 2 has a malformed LF/);
    expect(() => parseCoverage('SF:a.ts\nDA:3\nend_of_record')).toThrow(CoverageFormatError);
    expect(() => parseCoverage('SF:a.ts\nLF:2\nLH:3\nend_of_record')).toThrow(
      /3 lines covered out of only 2/,
    );
  });
});

describe('parseCoverage: Cobertura', () => {
  it('reads the totals coverage.py writes on <coverage>', () => {
    expect(parseCoverage(fixture('coverage-py.xml'))).toEqual({
      format: 'cobertura',
      unit: 'lines',
      linesCovered: 13,
      linesValid: 16,
      percent: 81.25,
    });
  });

  it('reads a Java Cobertura report with a DOCTYPE', () => {
    expect(parseCoverage(fixture('cobertura-java.xml'))).toEqual({
      format: 'cobertura',
      unit: 'lines',
      linesCovered: 7,
      linesValid: 10,
      percent: 70,
    });
  });

  it('counts class <line> elements when the totals are missing, ignoring repeated method lines', () => {
    const noTotals = fixture('cobertura-java.xml').replace(' lines-covered="7" lines-valid="10"', '');
    expect(noTotals).not.toContain('lines-valid');
    expect(parseCoverage(noTotals)).toEqual({
      format: 'cobertura',
      unit: 'lines',
      linesCovered: 7,
      linesValid: 10,
      percent: 70,
    });

    const py = fixture('coverage-py.xml').replace(' lines-valid="16" lines-covered="13"', '');
    expect(parseCoverage(py)).toMatchObject({ linesCovered: 13, linesValid: 16, percent: 81.25 });
  });

  it('falls back to line-rate when there is nothing else', () => {
    expect(parseCoverage('<coverage line-rate="0.8542" branch-rate="0"><packages/></coverage>')).toEqual({
      format: 'cobertura',
      unit: 'lines',
      linesCovered: 0,
      linesValid: 0,
      percent: 85.42,
    });
  });

  it('rejects malformed XML and XML that is not Cobertura', () => {
    expect(() => parseCoverage('<coverage lines-valid="3"><packages></coverage>')).toThrow(
      /Cobertura XML is malformed at line 1, column \d+/,
    );
    expect(() => parseCoverage('<testsuites><testsuite/></testsuites>')).toThrow(
      /XML whose root element is <testsuites> \(a JUnit test report: set it in junit-files\)/,
    );
    // Clover also uses a <coverage> root: it is read as Clover, and must carry its counts.
    expect(() =>
      parseCoverage(
        '<coverage generated="1706537121" clover="4.4.1"><project><metrics statements="10"/></project></coverage>',
      ),
    ).toThrow(/Clover project <metrics> without statements\/coveredstatements/);
  });
});

describe('parseCoverage: Istanbul summary', () => {
  it('reads total.lines from coverage-summary.json', () => {
    expect(parseCoverage(fixture('coverage-summary.json'))).toEqual({
      format: 'istanbul-summary',
      unit: 'lines',
      linesCovered: 103,
      linesValid: 120,
      percent: 85.83,
    });
  });

  it('accepts "Unknown" pct for an empty project and reports 0 of 0', () => {
    const json = '{"total":{"lines":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"}}}';
    expect(parseCoverage(json)).toEqual({
      format: 'istanbul-summary',
      unit: 'lines',
      linesCovered: 0,
      linesValid: 0,
      percent: 0,
    });
  });

  it('reads an empty coverage-final.json as 0 of 0, and rejects broken or foreign JSON', () => {
    const final = '{"/src/a.ts":{"path":"/src/a.ts","statementMap":{},"s":{},"fnMap":{},"f":{},"b":{}}}';
    expect(parseCoverage(final)).toMatchObject({ format: 'istanbul-final', linesCovered: 0, linesValid: 0 });
    expect(() => parseCoverage('{"total": ')).toThrow(/looks like JSON but does not parse/);
    expect(() => parseCoverage('{"name": "app", "version": "1.0.0"}')).toThrow(
      /JSON with keys "name", "version", neither total\.lines/,
    );
  });
});

describe('parseCoverage: detection', () => {
  it('detects by content, ignoring a BOM and surrounding whitespace', () => {
    expect(parseCoverage('\uFEFF\n  ' + fixture('coverage-summary.json')).format).toBe('istanbul-summary');
    expect(parseCoverage('\n\n' + fixture('lcov.info')).format).toBe('lcov');
  });

  it.each([
    ['empty', ''],
    ['whitespace', '  \n\t'],
    ['prose', 'Coverage: 85%'],
    ['HTML report', '<!DOCTYPE html><html><body>85%</body></html>'],
    ['a JSON array', '[1,2,3]'],
  ])('throws a one-line CoverageFormatError listing the accepted formats for %s', (_label, content) => {
    let error: unknown;
    try {
      parseCoverage(content);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CoverageFormatError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).toContain('lcov');
    expect(message).toContain('Cobertura XML');
    expect(message).toContain('coverage-summary.json');
    expect(message).toContain('JaCoCo XML');
    expect(message).toContain('Go coverprofile');
    expect(message).toContain('reportgenerator');
  });

  it.each([
    ['prose', 'Coverage: 85%', /the file starts with "Coverage: 85%", which is none of them/],
    ['an HTML report', '<!DOCTYPE html><html><body>85%</body></html>', /XML whose root element is <html>/],
    ['a JSON array', '[1,2,3]', /the file starts with "\[1,2,3\]"/],
    [
      'a truncated JaCoCo report',
      '<report name="x"><package name="a">',
      /JaCoCo XML is malformed at line 1, column \d+: the file ends inside <package>/,
    ],
    ['a Go profile with a broken line', 'mode: set\na.go:1.1,2.2 1\n', /Go coverprofile line 2 is not/],
  ])('names what it saw in %s', (_label, content, reason) => {
    expect(() => parseCoverage(content)).toThrow(reason);
  });
});
