// Preloaded with `node --require` (bench/startup.mjs --trace, bench/cold-build.mjs --trace,
// __tests__/integration/bundle.test.ts): notes when Node handed over to JavaScript, how long each
// file under dist/ took to compile and run its top level (index.js, then each chunk an import()
// loads: nested loads count inside their parent), each HTTP request the process made (the Docker
// engine's API over its socket included: method, path, when it was sent, when the response's
// headers came and when its body ended), each synchronous child process (git), and when the
// process exited. Writes { ready, files: [{ file, start, ms }], requests: [{ method, path, start,
// headers?, end? }], execs: [{ file, args, start, ms }], exit } (Date.now() times) to
// $SAFE_DEPLOY_LOAD_TRACE at exit.
// CommonJS on purpose: with an ESM preload (`--import`) Node loads the CommonJS main through its ESM
// loader, which scans the whole bundle for exports first and adds that time to what is measured.
const fs = require('node:fs');
const Module = require('node:module');
const childProcess = require('node:child_process');
const diagnostics = require('node:diagnostics_channel');

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

// Requests through Node's diagnostics channels: nothing of the traced code is wrapped. An upgraded
// request (the BuildKit session) has no response event: its 101 is noted from the 'upgrade' event,
// listened to only on requests that ask for one (the caller listens too, or Node would drop it).
const requests = [];
const byRequest = new WeakMap();
diagnostics.subscribe('http.client.request.start', ({ request }) => {
  const r = { method: request.method, path: request.path, start: Date.now() };
  byRequest.set(request, r);
  requests.push(r);
  if (request.getHeader('upgrade'))
    request.once('upgrade', (response) => {
      r.headers = Date.now();
      r.status = response.statusCode;
    });
});
diagnostics.subscribe('http.client.response.finish', ({ request, response }) => {
  const r = byRequest.get(request);
  if (!r) return;
  r.headers = Date.now();
  r.status = response.statusCode;
  response.once('end', () => (r.end = Date.now()));
});

// Bundled code calls child_process functions through the module object, so a wrapper sees them.
const execs = [];
const execFileSync = childProcess.execFileSync;
childProcess.execFileSync = function tracedExecFileSync(file, args, ...rest) {
  const start = Date.now();
  try {
    return execFileSync.call(this, file, args, ...rest);
  } finally {
    execs.push({ file, args: Array.isArray(args) ? args : [], start, ms: Date.now() - start });
  }
};

process.on('exit', () => {
  if (out) fs.writeFileSync(out, JSON.stringify({ ready, files, requests, execs, exit: Date.now() }));
});
