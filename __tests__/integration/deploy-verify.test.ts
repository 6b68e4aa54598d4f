import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseStatusRanges } from '../../src/util/status-ranges';
import { probeUrl, runSmoke } from '../../src/deploy/verify';

// The runner-side checks after the switch, against a local HTTP server on 127.0.0.1.
let server: http.Server;
let base = '';
let failuresLeft = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/flaky' && failuresLeft-- > 0) return void res.writeHead(503).end('starting');
    if (req.url === '/no-content') return void res.writeHead(204).end();
    if (req.url === '/moved') return void res.writeHead(301, { Location: '/elsewhere' }).end();
    if (req.url === '/flaky' || req.url === '/version') return void res.writeHead(200).end('v2');
    res.writeHead(500).end('broken');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('health-status ranges and lists', () => {
  const m = parseStatusRanges('200-299, 304 401');
  expect([200, 204, 299, 304, 401].every(m)).toBe(true);
  expect([199, 300, 302, 500].some(m)).toBe(false);
  expect(() => parseStatusRanges('2xx')).toThrow(/not a status code or range/);
  expect(() => parseStatusRanges('399-200')).toThrow(/reversed/);
});

test('probeUrl retries until the status is accepted', async () => {
  failuresLeft = 3;
  const r = await probeUrl({ url: `${base}/flaky`, timeoutMs: 5_000, intervalMs: 50 });
  expect(r).toMatchObject({ ok: true, probes: 4, lastStatus: 200 });
});

test('probeUrl: a redirect is the route answer, and lists of statuses apply', async () => {
  expect(await probeUrl({ url: `${base}/moved`, timeoutMs: 1_000 })).toMatchObject({
    ok: true,
    lastStatus: 301,
  });
  const strict = await probeUrl({
    url: `${base}/no-content`,
    status: '200',
    timeoutMs: 300,
    intervalMs: 100,
  });
  expect(strict).toMatchObject({ ok: false, lastStatus: 204 });
  expect(strict.probes).toBeGreaterThan(1);
  expect(await probeUrl({ url: `${base}/no-content`, status: '200,204' })).toMatchObject({ ok: true });
});

test('probeUrl: a last attempt the deadline cuts short keeps the app’s reason, not the deadline’s', async () => {
  // The first request is answered 503; the next is never answered, and it starts with ~0 ms of
  // the check left, so only the deadline can end it.
  let requests = 0;
  const server = http.createServer((_req, res) => {
    if (requests++ === 0) res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  try {
    const check = await probeUrl({ url: `http://127.0.0.1:${port}/health`, timeoutMs: 300, intervalMs: 300 });
    expect(check).toMatchObject({ ok: false, probes: 2, lastStatus: 503 });
    expect(check.lastError).toBeUndefined();
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('probeUrl gives up after the timeout with the last error, or stops when cancelled', async () => {
  const lines: string[] = [];
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const url = `http://127.0.0.1:${port}/health`;
  const refused = await probeUrl({ url, timeoutMs: 400, intervalMs: 100, log: (l) => lines.push(l) });
  expect(refused).toMatchObject({ ok: false, lastError: 'ECONNREFUSED' });
  expect(lines[0]).toMatch(/did not pass in 0s: ECONNREFUSED/);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200);
  const cancelled = await probeUrl({
    url: `${base}/broken`,
    timeoutMs: 10_000,
    intervalMs: 50,
    signal: controller.signal,
  });
  expect(cancelled).toMatchObject({ ok: false, cancelled: true, lastStatus: 500 });
});

test('runSmoke passes URL to bash and fails on a non-zero exit', async () => {
  const ok = await runSmoke({ command: 'curl -fsS "$URL/version" || wget -qO- "$URL/version"', url: base });
  expect(ok).toMatchObject({ ok: true, exitCode: 0, timedOut: false, output: ['v2'] });
  const bad = await runSmoke({ command: 'echo "checking $URL"; echo nope >&2; exit 7', url: base });
  expect(bad).toMatchObject({ ok: false, exitCode: 7, output: [`checking ${base}`, 'nope'] });
});

test('runSmoke kills a command that outlives its timeout, children included', async () => {
  const started = Date.now();
  const r = await runSmoke({ command: 'sleep 30 & sleep 30; echo never', url: base, timeoutMs: 300 });
  expect(r).toMatchObject({ ok: false, timedOut: true });
  expect(Date.now() - started).toBeLessThan(3_000);
});

test('runSmoke runs with pipefail, like every other command: a failing first stage of a pipe fails it', async () => {
  const r = await runSmoke({ command: 'false | cat; echo after', url: base });
  expect(r).toMatchObject({ ok: false, exitCode: 1 });
  expect(r.output).not.toContain('after');
});
