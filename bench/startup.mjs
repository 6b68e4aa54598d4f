#!/usr/bin/env node
// Startup bench: `node dist/index.js` with no stage enabled (the fixed cost every run pays before
// doing any work: loading the bundle, parsing inputs, writing outputs and summary) next to bare
// `node -e 0` (the floor: starting Node itself), alternating in one run so both see the same load.
// Prints medians and the ratio; the goal is <= 2x bare node.
//
// --trace: one more traced run of each, through a preload (__tests__/helpers/load-trace.cjs) that notes
// when Node handed over, how long each file of dist/ took to load (index.js and every chunk
// loaded with import()), and when the process exited: where the time goes.
//
// --core-floor: also times a bundle of nothing but `import * as core from '@actions/core'` (built
// with ncc into .tmp/, ~1 min): @actions/core 3 loads undici (~0.9 MB, for its OIDC client) at
// import, so that bundle is the floor of any bundle that logs through @actions/core.
//
// Usage: node bench/startup.mjs [--runs 21] [--trace] [--core-floor]   (prints figures; not a test)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const argAt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
// `node bench/startup.mjs 21` (the old form) still works.
const RUNS = Number(argAt('runs') ?? (/^\d+$/.test(args[0] ?? '') ? args[0] : 21));
const TRACE = args.includes('--trace');
const CORE_FLOOR = args.includes('--core-floor');
const GOAL_RATIO = 2;
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error('usage: node bench/startup.mjs [--runs N] [--trace]');
  process.exit(2);
}

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist/index.js');
const preload = path.resolve(here, '../__tests__/helpers/load-trace.cjs');
if (!fs.existsSync(dist)) {
  console.error(`${dist} is missing: npm run -s build`);
  process.exit(1);
}
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-startup-'));
const env = {
  PATH: process.env.PATH,
  GITHUB_SHA: 'a'.repeat(40),
  GITHUB_REF: 'refs/heads/main',
  GITHUB_EVENT_NAME: 'push',
  GITHUB_OUTPUT: path.join(dir, 'out'),
  GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
};

/** Wall time of one spawn, in ms; throws when it does not exit 0. */
function timed(argv, extraEnv = {}) {
  fs.writeFileSync(env.GITHUB_OUTPUT, '');
  fs.writeFileSync(env.GITHUB_STEP_SUMMARY, '');
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, argv, { cwd: dir, env: { ...env, ...extraEnv }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0)
    throw new Error(`node ${argv.join(' ')} exited ${res.status}: ${res.stdout}${res.stderr}`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (xs) =>
  `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)})`;

let floor;
if (CORE_FLOOR) {
  const root = path.resolve(here, '..');
  const fdir = path.join(root, '.tmp/startup-floor');
  fs.mkdirSync(fdir, { recursive: true });
  fs.writeFileSync(path.join(fdir, 'entry.ts'), "import * as core from '@actions/core';\ncore.info('');\n");
  execFileSync(
    'npx',
    ['ncc', 'build', path.join(fdir, 'entry.ts'), '-o', path.join(fdir, 'out'), '--transpile-only'],
    {
      cwd: root,
      stdio: 'ignore',
    },
  );
  floor = { file: path.join(fdir, 'out/index.js'), times: [] };
}

const bare = [];
const action = [];
// One warm-up of each (file cache), then alternate so all figures see the same machine.
timed(['-e', '0']);
timed([dist]);
if (floor) timed([floor.file]);
for (let i = 0; i < RUNS; i++) {
  bare.push(timed(['-e', '0']));
  action.push(timed([dist]));
  if (floor) floor.times.push(timed([floor.file]));
}
const ratio = median(action) / median(bare);
const size = (f) => `${(fs.statSync(f).size / 1024 / 1024).toFixed(2)} MB`;
console.log(
  `startup bench: ${RUNS} alternating runs each, node ${process.version}, ${os.cpus().length} CPU(s), load ${os.loadavg()[0].toFixed(2)}`,
);
console.log(`  node dist/index.js (no stage enabled; index.js ${size(dist)}): ${fmt(action)}`);
console.log(`  node -e 0:                                              ${fmt(bare)}`);
if (floor)
  console.log(
    `  a bundle of only @actions/core (${size(floor.file)}):              ${fmt(floor.times)}; ${(median(floor.times) / median(bare)).toFixed(2)}× bare node`,
  );
console.log(
  `  ratio ${ratio.toFixed(2)}× bare node; goal <= ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'}`,
);

if (TRACE) {
  const traceFile = path.join(dir, 'trace.json');
  const traced = (argv) => {
    const t0 = Date.now();
    const ms = timed(['--require', preload, ...argv], { SAFE_DEPLOY_LOAD_TRACE: traceFile });
    const trace = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
    return { ms, t0, trace };
  };
  const show = (label, { ms, t0, trace }) => {
    console.log(`  ${label}: ${ms.toFixed(0)} ms wall`);
    console.log(
      `    ${String(trace.ready - t0).padStart(5)} ms  Node started, preload ran (spawn to first JS)`,
    );
    for (const f of trace.files)
      console.log(
        `    ${String(f.start - t0).padStart(5)} ms  ${path.relative(path.dirname(dist), f.file).padEnd(14)} loaded in ${f.ms.toFixed(1)} ms`,
      );
    console.log(`    ${String(trace.exit - t0).padStart(5)} ms  process exit`);
  };
  console.log('trace (ms since spawn, one run each):');
  show('node -e 0', traced(['-e', '0']));
  show('node dist/index.js', traced([dist]));
}
