/**
 * The gate's report reading at size: a 50 MB JUnit report (~152k tests) plus a 20 MB lcov, read
 * with the real code (streamed), timed against Python's expat `iterparse` over the JUnit alone in
 * the same run. Goal: ours ≤ 1.5× expat's time, ≤ 200 MB peak RSS.
 *
 *   bash bench/gate.sh            (builds this with ncc, as the action ships, then runs it)
 *
 * Modes: `generate <dir>` writes junit.xml and lcov.info; `read <dir>` reads them and prints one
 * JSON line (run in its own process so its peak RSS is the reading's alone).
 */
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { readCoverageFile } from '../src/gate/coverage';
import { readJUnitFile } from '../src/gate/junit';

const [mode, dir] = process.argv.slice(2);

// A small deterministic PRNG so every run writes the same files.
let seed = 7;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  // The low bits of this generator cycle quickly: use the high ones.
  return (seed >>> 12) % n;
};

async function write(file: string, produce: (out: (s: string) => void) => void): Promise<void> {
  const stream = createWriteStream(file);
  let buf = '';
  produce((s) => {
    buf += s;
    if (buf.length > 1 << 16) {
      stream.write(buf);
      buf = '';
    }
  });
  stream.end(buf);
  await new Promise<void>((resolve, reject) => stream.on('finish', resolve).on('error', reject));
}

/** jest-junit-like suites of 100 tests: 2% failing with a stack trace, 1% skipped. */
function junit(out: (s: string) => void): void {
  const SUITES = 1520;
  out('<?xml version="1.0" encoding="UTF-8"?>\n');
  out(`<testsuites name="jest tests" tests="${SUITES * 100}" time="812.5">\n`);
  for (let s = 0; s < SUITES; s++) {
    const file = `src/features/area${s % 40}/module${s}.test.ts`;
    const cases: string[] = [];
    let failures = 0;
    let skipped = 0;
    for (let t = 0; t < 100; t++) {
      const title = `module ${s} handles case ${t} when the input is ${['empty', 'large', 'unicode é', 'nested', 'malformed'][t % 5]}`;
      const r = rand(100);
      let body = '';
      if (r < 2) {
        failures++;
        const frames = Array.from(
          { length: 12 },
          (_, i) =>
            `    at Object.&lt;anonymous&gt; (/home/runner/work/app/app/${file}:${20 + i}:${5 + rand(30)})`,
        ).join('\n');
        body = `\n      <failure>Error: expect(received).toEqual(expected) // deep equality\n\nExpected: ${rand(1000)}\nReceived: ${rand(1000)}\n${frames}</failure>\n    `;
      } else if (r < 3) {
        skipped++;
        body = '\n      <skipped/>\n    ';
      } else if (r < 15) {
        // Console output captured for the test, as jest-junit and Surefire write it.
        const log = Array.from(
          { length: 6 },
          (_, i) => `[${10 + i}:00:0${i}] INFO request ${rand(1e6)} handled in ${rand(500)} ms`,
        ).join('\n');
        body = `\n      <system-out><![CDATA[${log}]]></system-out>\n    `;
      }
      cases.push(
        `    <testcase classname="module ${s} ${title}" name="module ${s} ${title}" time="0.0${rand(90) + 10}" file="${file}" line="${t * 7 + 3}">${body}</testcase>\n`,
      );
    }
    out(
      `  <testsuite name="module ${s}" errors="0" failures="${failures}" skipped="${skipped}" timestamp="2026-12-03T10:00:00" time="1.${rand(900)}" tests="100">\n`,
    );
    for (const c of cases) out(c);
    out('  </testsuite>\n');
  }
  out('</testsuites>\n');
}

/** 6,500 source files of 250 lines: functions, branches, DA lines, 80% hit. */
function lcov(out: (s: string) => void): void {
  for (let f = 0; f < 6500; f++) {
    out(`TN:\nSF:/home/runner/work/app/app/src/features/area${f % 40}/module${f}.ts\n`);
    for (let fn = 0; fn < 10; fn++) out(`FN:${fn * 25 + 1},handler${fn}\n`);
    for (let fn = 0; fn < 10; fn++) out(`FNDA:${rand(5)},handler${fn}\n`);
    out('FNF:10\nFNH:8\n');
    let hit = 0;
    const lines = 250;
    for (let l = 1; l <= lines; l++) {
      const n = rand(10) < 8 ? rand(400) + 1 : 0;
      if (n > 0) hit++;
      out(`DA:${l},${n}\n`);
    }
    for (let b = 0; b < 20; b++) out(`BRDA:${b * 12 + 3},0,${b % 2},${rand(3)}\n`);
    out(`BRF:20\nBRH:14\nLF:${lines}\nLH:${hit}\nend_of_record\n`);
  }
}

async function main(): Promise<void> {
  if (!dir) throw new Error('usage: gate.ts generate|read <dir>');
  const junitFile = path.join(dir, 'junit.xml');
  const lcovFile = path.join(dir, 'lcov.info');
  if (mode === 'generate') {
    await write(junitFile, junit);
    await write(lcovFile, lcov);
    return;
  }
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const t0 = performance.now();
  const c0 = cpu();
  const tests = await readJUnitFile(junitFile, 'junit.xml');
  const t1 = performance.now();
  const c1 = cpu();
  const coverage = await readCoverageFile(lcovFile);
  const t2 = performance.now();
  const c2 = cpu();
  console.log(
    JSON.stringify({
      junitMs: Math.round(t1 - t0),
      lcovMs: Math.round(t2 - t1),
      totalMs: Math.round(t2 - t0),
      // CPU time of the process (all its threads): on a busy machine, the steadier figure.
      junitCpuMs: Math.round(c1 - c0),
      lcovCpuMs: Math.round(c2 - c1),
      totalCpuMs: Math.round(c2 - c0),
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      tests: tests.total,
      failed: tests.failed,
      skipped: tests.skipped,
      coverage: coverage.percent,
    }),
  );
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
