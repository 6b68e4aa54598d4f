// Coverage reports written by the real tools (see __tests__/fixtures/gate/real/README.md for how
// each was made, or where it comes from): each format is detected from its content and read to the
// figure the tool itself states.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCoverage, readCoverageFile, type CoverageReport } from '../../src/gate/coverage';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/gate/real/coverage');

type Expected = Pick<CoverageReport, 'format' | 'unit' | 'linesCovered' | 'linesValid' | 'percent'>;
const lines = (
  format: CoverageReport['format'],
  covered: number,
  valid: number,
  percent: number,
): Expected => ({
  format,
  unit: 'lines',
  linesCovered: covered,
  linesValid: valid,
  percent,
});
const statements = (
  format: CoverageReport['format'],
  covered: number,
  valid: number,
  percent: number,
): Expected => ({
  ...lines(format, covered, valid, percent),
  unit: 'statements',
});

const cases: [string, Expected][] = [
  // jest 30 --coverage: "All files | ... | % Lines 70"
  ['jest-lcov.info', lines('lcov', 7, 10, 70)],
  ['jest-cobertura.xml', lines('cobertura', 7, 10, 70)],
  ['jest-clover.xml', statements('clover', 7, 10, 70)],
  ['jest-coverage-summary.json', lines('istanbul-summary', 7, 10, 70)],
  ['jest-coverage-final.json', lines('istanbul-final', 7, 10, 70)],
  // nyc 18
  ['nyc-lcov.info', lines('lcov', 7, 10, 70)],
  ['nyc-cobertura.xml', lines('cobertura', 7, 10, 70)],
  ['nyc-clover.xml', statements('clover', 7, 10, 70)],
  ['nyc-coverage-summary.json', lines('istanbul-summary', 7, 10, 70)],
  ['nyc-coverage-final.json', lines('istanbul-final', 7, 10, 70)],
  // c8 12 (V8 coverage: 82.35% lines)
  ['c8-lcov.info', lines('lcov', 14, 17, 82.35)],
  ['c8-cobertura.xml', lines('cobertura', 14, 17, 82.35)],
  ['c8-clover.xml', statements('clover', 14, 17, 82.35)],
  ['c8-coverage-summary.json', lines('istanbul-summary', 14, 17, 82.35)],
  ['c8-coverage-final.json', lines('istanbul-final', 14, 17, 82.35)],
  // go test: "coverage: 81.8% of statements"; the gotestsum rerun profile: "coverage: 18.2% of statements"
  ['go-coverprofile-set.out', statements('go-coverprofile', 9, 11, 81.81)],
  ['go-coverprofile-count.out', statements('go-coverprofile', 2, 11, 18.18)],
  // JaCoCo 0.8.15 via Maven: LINE missed 2 covered 8; ReportGenerator's JaCoCo 0.8.3 fixture: missed 12 covered 26
  ['jacoco.xml', lines('jacoco', 8, 10, 80)],
  ['reportgenerator-JaCoCo0.8.3.xml', lines('jacoco', 26, 38, 68.42)],
  // OpenCover 4.6.601 and coverlet: the session Summary's sequence points
  ['reportgenerator-OpenCover.xml', statements('opencover', 124, 199, 62.31)],
  ['reportgenerator-OpenCover_coverlet.xml', statements('opencover', 156, 255, 61.17)],
  // OpenClover 4.3.1: project metrics statements 22, covered 15
  ['reportgenerator-Clover_OpenClover4.3.1.xml', statements('clover', 15, 22, 68.18)],
  // SimpleCov: .last_run.json at the same commit says line 100.0
  ['simplecov-freight_calculator.resultset.json', lines('simplecov', 412, 412, 100)],
];

describe('coverage reports written by the real tools', () => {
  test.each(cases)('%s streamed from disk', async (file, expected) => {
    expect(await readCoverageFile(path.join(dir, file))).toEqual(expected);
  });

  test.each(cases)('%s read from memory gives the same', (file, expected) => {
    expect(parseCoverage(fs.readFileSync(path.join(dir, file), 'utf8'))).toEqual(expected);
  });

  test('every fixture in the directory is in the table', () => {
    expect(fs.readdirSync(dir).sort()).toEqual(cases.map(([f]) => f).sort());
  });
});

describe('streaming across chunk boundaries', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-cov-'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('a multi-MiB lcov without LF/LH is counted line by line, whatever the chunk cuts', async () => {
    // 3,000 files of 200 DA lines, every third line not hit: well over the 1 MiB read size.
    const parts: string[] = [];
    for (let f = 0; f < 3000; f++) {
      parts.push(`SF:src/module${f}/file.ts`);
      for (let l = 1; l <= 200; l++) parts.push(`DA:${l},${l % 3 === 0 ? 0 : 5}`);
      parts.push('end_of_record');
    }
    const file = path.join(tmp, 'lcov.info');
    fs.writeFileSync(file, parts.join('\n'));
    expect(fs.statSync(file).size).toBeGreaterThan(3 << 20);
    // 200 lines a file, 66 of them (multiples of 3) not hit.
    expect(await readCoverageFile(file)).toEqual(lines('lcov', 3000 * 134, 3000 * 200, 67));
  });

  test('a multi-MiB Go profile, with a block repeated by a merged profile, counts the block once', async () => {
    const rows = ['mode: count'];
    for (let i = 0; i < 60_000; i++)
      rows.push(`example.com/m/p${i % 500}.go:${i}.2,${i + 1}.3 2 ${i % 4 === 0 ? 0 : 1}`);
    // The same first block again, from a second package's profile: now it is hit.
    rows.push('mode: count', 'example.com/m/p0.go:0.2,1.3 2 7');
    const file = path.join(tmp, 'cover.out');
    fs.writeFileSync(file, rows.join('\r\n') + '\r\n');
    expect(fs.statSync(file).size).toBeGreaterThan(2 << 20);
    const notHit = 60_000 / 4 - 1;
    expect(await readCoverageFile(file)).toEqual(
      statements(
        'go-coverprofile',
        (60_000 - notHit) * 2,
        60_000 * 2,
        Math.floor(((60_000 - notHit) / 60_000) * 10000) / 100,
      ),
    );
  });
});
