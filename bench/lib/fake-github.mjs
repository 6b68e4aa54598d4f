// The tests' local GitHub fake (__tests__/helpers/fake-github.ts), for the benches: one source for
// both, transpiled here with the project's TypeScript because the benches run as plain Node.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { ROOT } from './action.mjs';

const source = fs.readFileSync(path.join(ROOT, '__tests__/helpers/fake-github.ts'), 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
});
const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sd-bench-fake-github-')), 'fake-github.mjs');
fs.writeFileSync(file, outputText);

/** startFakeGitHub({ latencyMs }) → { url, requests, maxInFlight, latencyMs, close(), … } */
export const { startFakeGitHub, DEFAULT_LATENCY_MS } = await import(pathToFileURL(file).href);
