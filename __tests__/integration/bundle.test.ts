import fs from 'node:fs';
import path from 'node:path';
import { DIST, ROOT, runAction, tempDir } from '../helpers/action';

// dist/ is index.js plus one chunk per part main.ts loads with import() when its stage runs. These
// runs of the bundle note every file of dist/ that Node loads (through a --require preload), so a
// static import that drags docker, PostgreSQL, SSH or GitHub code back into every run fails here.

interface LoadTrace {
  files: Array<{ file: string; ms: number }>;
}

/** Code that only some stages need, by a string each carries into its chunk. */
const HEAVY: Array<[string, RegExp]> = [
  ['dockerode and its gRPC/BuildKit code', /@grpc\/grpc-js|grpc\.ServiceClient|grpc-node/],
  ['libpg-query', /libpg-query\.wasm/],
  ['pg', /pg-protocol|BackendMessage/],
  ['Octokit', /createDeploymentStatus/],
  // @actions/core loaded it at import (src/runner.ts says why the action no longer does).
  ['undici', /node_modules\/undici\/index\.js/],
  // Loaded only for a deploy-on glob or the gate's file patterns (branch-guard.ts says why).
  ['minimatch', /node_modules\/minimatch\//],
];

async function loadedBy(inputs: Record<string, string>) {
  const trace = path.join(tempDir('sd-load-'), 'trace.json');
  const run = await runAction({
    inputs,
    env: {
      NODE_OPTIONS: `--require ${path.join(ROOT, '__tests__/helpers/load-trace.cjs')}`,
      SAFE_DEPLOY_LOAD_TRACE: trace,
    },
  });
  const files = (JSON.parse(fs.readFileSync(trace, 'utf8')) as LoadTrace).files.map((f) => f.file);
  return { run, files: files.map((f) => path.relative(path.dirname(DIST), f)) };
}

const heavyIn = (file: string): string[] => {
  const text = fs.readFileSync(path.join(path.dirname(DIST), file), 'utf8');
  return HEAVY.filter(([, re]) => re.test(text)).map(([name]) => name);
};

test('index.js carries none of the heavy code; chunks next to it do', () => {
  expect(heavyIn('index.js')).toEqual([]);
  const chunks = fs.readdirSync(path.dirname(DIST)).filter((f) => /^\d+\.index\.js$/.test(f));
  expect(new Set(chunks.flatMap(heavyIn))).toEqual(new Set(HEAVY.map(([name]) => name)));
});

test('a run with no stage enabled loads only index.js', async () => {
  const { run, files } = await loadedBy({});
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('skipped');
  expect(files).toEqual(['index.js']);
});

test('a gate-only run loads the gate, and no docker, PostgreSQL, SSH or GitHub code', async () => {
  const { run, files } = await loadedBy({ 'test-command': 'true' });
  expect(run.code).toBe(0);
  expect(JSON.parse(run.outputs.stages ?? '[]')).toContainEqual(
    expect.objectContaining({ name: 'gate', status: 'passed' }),
  );
  expect(files[0]).toBe('index.js');
  expect(files.length).toBeGreaterThan(1);
  // minimatch is the gate's own (junit-files and coverage patterns).
  expect(files.flatMap(heavyIn).filter((name) => name !== 'minimatch')).toEqual([]);
});
