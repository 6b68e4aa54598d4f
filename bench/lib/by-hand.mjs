// What the benches that time "the same steps by hand" share: the docker CLI, plain HTTP polling,
// a free port, the proxy's site file as the action writes it, and medians.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { clearInterval, setInterval } from 'node:timers';

/** The 28.x CLI when present (fast to start); Debian's `/usr/bin/docker` for BuildKit builds. */
export const DOCKER = fs.existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';
export const DEBIAN_DOCKER = '/usr/bin/docker';
export const POLL_MS = 20;

/** Runs a docker CLI; resolves with its trimmed stdout, rejects with its stderr. */
export function docker(argv, { input, allowFail = false, bin = DOCKER, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      bin,
      argv,
      { encoding: 'utf8', maxBuffer: 16 << 20, env: env ? { ...process.env, ...env } : undefined },
      (err, stdout, stderr) => {
        if (err && !allowFail)
          reject(new Error(`docker ${argv.join(' ')}: ${(stderr || err.message).toString().trim()}`));
        else resolve(err ? `error: ${(stderr || err.message).toString().trim()}` : stdout.trim());
      },
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

/** One GET on a new connection: { status, body } or { error }. */
export function get(port, urlPath, timeoutMs = 5_000) {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, agent: false, timeout: timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body: body.trim() }));
        res.on('error', (err) => resolve({ error: err.code ?? err.message }));
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => resolve({ error: err.code ?? err.message }));
  });
}

/**
 * Fires a GET every POLL_MS (a new connection each, overlapping when one is slow) until `ok`
 * accepts an answer; resolves with the time that answer arrived. Gives up after `timeoutMs`, or
 * once `signal` aborts.
 */
export function pollUntil(port, urlPath, ok, timeoutMs = 60_000, signal) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let done = false;
    let last = 'no answer yet';
    let inFlight = 0;
    const tick = () => {
      if (done) return;
      if (signal?.aborted) {
        done = true;
        clearInterval(timer);
        reject(new Error(`stopped polling 127.0.0.1:${port}${urlPath} (last: ${last})`));
        return;
      }
      if (Date.now() - started > timeoutMs) {
        done = true;
        clearInterval(timer);
        reject(
          new Error(
            `127.0.0.1:${port}${urlPath} did not answer as expected in ${timeoutMs} ms (last: ${last})`,
          ),
        );
        return;
      }
      if (inFlight >= 100) return;
      inFlight++;
      get(port, urlPath).then((r) => {
        inFlight--;
        const at = Date.now();
        if (done) return;
        last = r.error ?? `HTTP ${r.status} ${JSON.stringify(r.body.slice(0, 40))}`;
        if (ok(r)) {
          done = true;
          clearInterval(timer);
          resolve(at);
        }
      });
    };
    const timer = setInterval(tick, POLL_MS);
    tick();
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The proxy's site file, as src/deploy/docker/proxy.ts renders it, so the proxy behaves the same. */
export function renderSite({ publicPort, upstream, sha, imageRef, container }) {
  return [
    '# Managed by safe-deploy through the Docker API; rewritten on every deploy.',
    `# safe-deploy container=${container} sha=${sha} image=${imageRef}`,
    `:${publicPort} {`,
    `\treverse_proxy ${upstream} {`,
    '\t\tlb_try_duration 5s',
    '\t\tlb_try_interval 250ms',
    '\t}',
    '}',
    '',
  ].join('\n');
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
export const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;

/**
 * The swap as a person does it with the docker CLI: `docker run -d` the image on a free port
 * (host network, PORT set), poll its /health until 200, write the proxy's site file, `caddy
 * reload`, poll the public port until `page` answers. Resolves with each step's end in ms since
 * the start: { run, healthy, written, reloaded, answered }. The container is labelled `label`.
 */
export async function swapByHand({ proxy, reload, site, publicPort, name, label, image, sha, page }) {
  const port = await freePort();
  const t = {};
  const t0 = Date.now();
  await docker([
    'run',
    '-d',
    '--name',
    name,
    '--label',
    label,
    '--network',
    'host',
    '-e',
    `PORT=${port}`,
    image,
  ]);
  t.run = Date.now() - t0;
  await pollUntil(port, '/health', (r) => r.status === 200, 30_000);
  t.healthy = Date.now() - t0;
  await docker(['exec', '-i', proxy, 'sh', '-c', `cat > ${site}`], {
    input: renderSite({ publicPort, upstream: `127.0.0.1:${port}`, sha, imageRef: image, container: name }),
  });
  t.written = Date.now() - t0;
  await docker(['exec', proxy, ...reload]);
  t.reloaded = Date.now() - t0;
  t.answered = (await pollUntil(publicPort, '/', (r) => r.status === 200 && r.body === page, 30_000)) - t0;
  return t;
}
