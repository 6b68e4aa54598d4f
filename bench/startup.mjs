#!/usr/bin/env node
// Median wall time of `node dist/index.js` with no stage enabled: the fixed cost every run pays
// before doing any work (loading the bundle, parsing inputs, writing outputs and summary).
// Usage: node bench/startup.mjs [runs]   (prints figures; not a test)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 21);
const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/index.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-startup-'));
const times = [];
for (let i = 0; i < runs + 1; i++) {
  fs.writeFileSync(path.join(dir, 'out'), '');
  fs.writeFileSync(path.join(dir, 'summary'), '');
  const started = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [dist], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REF: 'refs/heads/main',
      GITHUB_EVENT_NAME: 'push',
      GITHUB_OUTPUT: path.join(dir, 'out'),
      GITHUB_STEP_SUMMARY: path.join(dir, 'summary'),
    },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 0) throw new Error(`dist/index.js exited ${res.status}: ${res.stdout}${res.stderr}`);
  if (i > 0) times.push(ms); // the first run warms the file cache
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(
  `startup: median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1).toFixed(0)} ms over ${runs} runs (node ${process.version})`,
);
