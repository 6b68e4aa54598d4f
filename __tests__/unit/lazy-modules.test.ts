import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The bundle maps three modules dockerode and docker-modem require at load to stand-ins in
// src/lazy/ (its tsconfig.json, read by ncc): each must load nothing until first used, and then
// hand over the real module's own values.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `script` in a plain Node (jest has its own module registry), from src/lazy/; its JSON. */
function inNode(script: string): unknown {
  const r = spawnSync(process.execPath, ['-e', script], {
    cwd: path.join(ROOT, 'src/lazy'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as unknown;
}

test.each([
  ['ssh2', './ssh2.cjs', 'ssh2/lib/index.js', 'utils'],
  ['@grpc/grpc-js', './grpc-js.cjs', '@grpc/grpc-js/build/src/index.js', 'Server'],
  ['@grpc/proto-loader', './proto-loader.cjs', '@grpc/proto-loader/build/src/index.js', 'loadSync'],
])('%s: nothing loads until a property is read, then it is the real one', (_, standIn, real, key) => {
  expect(
    inNode(`
      const loaded = () => require.cache[require.resolve(${JSON.stringify(real)})] !== undefined;
      const lazy = require(${JSON.stringify(standIn)});
      const before = loaded();
      const value = lazy[${JSON.stringify(key)}];
      const after = loaded();
      console.log(JSON.stringify({ before, after, same: value === require(${JSON.stringify(real)})[${JSON.stringify(key)}] }));
    `),
  ).toEqual({ before: false, after: true, same: true });
});

test("ssh2's Client, taken at load by docker-modem, builds the real Client when called", () => {
  expect(
    inNode(`
      const { Client } = require('./ssh2.cjs');
      const before = require.cache[require.resolve('ssh2/lib/index.js')] !== undefined;
      const real = require('ssh2/lib/index.js');
      console.log(JSON.stringify({ before, real: new Client() instanceof real.Client }));
    `),
  ).toEqual({ before: false, real: true });
});

test('the tsconfig ncc reads maps each of the three names to its stand-in', () => {
  const cfg = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/lazy/tsconfig.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  expect(cfg.compilerOptions.paths).toEqual({
    ssh2: ['./ssh2.cjs'],
    '@grpc/grpc-js': ['./grpc-js.cjs'],
    '@grpc/proto-loader': ['./proto-loader.cjs'],
  });
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: { build: string };
  };
  expect(pkg.scripts.build).toContain('cd src/lazy && ncc build ../index.ts');
});

test('the bundle carries the stand-ins where dockerode and docker-modem require the three', () => {
  const dist = path.join(ROOT, 'dist');
  const chunks = fs.readdirSync(dist).filter((f) => f.endsWith('.index.js'));
  const texts = chunks.map((f) => fs.readFileSync(path.join(dist, f), 'utf8'));
  for (const name of ['ssh2', '@grpc/grpc-js', '@grpc/proto-loader'])
    expect(texts.some((t) => t.includes(`// Stands in for \`${name}\``))).toBe(true);
});
