// Preloaded with `node --require` (bench/startup.mjs --trace, __tests__/integration/bundle.test.ts): notes when Node handed over to
// JavaScript, how long each file under dist/ took to compile and run its top level (index.js, then
// each chunk an import() loads: nested loads count inside their parent), and when the process
// exited. Writes { ready, files: [{ file, start, ms }], exit } (Date.now() times) to
// $SAFE_DEPLOY_LOAD_TRACE at exit.
// CommonJS on purpose: with an ESM preload (`--import`) Node loads the CommonJS main through its ESM
// loader, which scans the whole bundle for exports first and adds that time to what is measured.
/* eslint-disable @typescript-eslint/no-require-imports, no-undef */
const fs = require('node:fs');
const Module = require('node:module');

const out = process.env.SAFE_DEPLOY_LOAD_TRACE;
const ready = Date.now();
const files = [];
const compile = Module.prototype._compile;
Module.prototype._compile = function traced(content, filename) {
  if (!/[/\\]dist[/\\][^/\\]+\.js$/.test(filename)) return compile.call(this, content, filename);
  const start = Date.now();
  const t = process.hrtime.bigint();
  try {
    return compile.call(this, content, filename);
  } finally {
    files.push({ file: filename, start, ms: Number(process.hrtime.bigint() - t) / 1e6 });
  }
};
process.on('exit', () => {
  if (out) fs.writeFileSync(out, JSON.stringify({ ready, files, exit: Date.now() }));
});
