#!/usr/bin/env node
// Zero-downtime bench: steady load through the Caddy proxy while the bundled action
// (`node dist/index.js`, as the GitHub runner runs it) deploys examples/hello-app three ways:
//   (a) good deploy            -> the new version takes the traffic
//   (b) new version unhealthy  -> /health answers 404, the new version never gets traffic
//   (c) verify fails           -> smoke-command `exit 1`, automatic rollback
// Each case: load starts, ~3 s later the deploy runs, the load keeps going until >= 40 s have
// passed (and a few seconds after the deploy ended). Every request is a new connection
// (hey -disable-keepalive, Node http with agent: false), so an idle keep-alive connection closed
// by a Caddy reload cannot show up as a client-side failure. Only 127.0.0.1 is ever contacted.
//
// Usage: bash scripts/services.sh && npm run -s build && node bench/zero-downtime.mjs [options]
//   --duration <s>   load window per case (default 40)
//   --rate <n>       target requests/s in all (default 650: hey 25 processes x 25/s + sampler 20/s)
//   --lead <s>       load before the deploy starts (default 3)
//   --load hey|node  load generator (default hey; node: open-loop http.request, agent: false)
//   --keep           leave the bench containers and proxy site in place
// Exits 1 when any request failed, a case missed >= 500 req/s or >= 20,000 requests, or a
// deploy did not end as expected. Prints figures; not a test.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  benchDirs,
  CADDY_RELOAD,
  DIST,
  dockerInputs,
  killAction,
  PROXY,
  runAction as runBundledAction,
  siteFile,
} from './lib/action.mjs';
import { HEY as INSTALLED_HEY, spawnHey } from './lib/hey.mjs';

const APP = 'bench-zd';
const ENVIRONMENT = 'production';
const IMAGE = '127.0.0.1:5000/bench-zero-downtime';
const PUBLIC_PORT = 18980;
const URL_ = `http://127.0.0.1:${PUBLIC_PORT}/`;
const MIN_RATE = 500;
const MIN_REQUESTS = 20_000;

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const DURATION_S = opt('duration', 40);
const RATE = opt('rate', 650);
const LEAD_S = opt('lead', 3);
const KEEP = args.includes('--keep');
const TAIL_S = 3; // load after the deploy ends, at least
const LOAD = args.includes('--load') ? args[args.indexOf('--load') + 1] : 'hey';
const HEY = LOAD === 'hey' ? INSTALLED_HEY : undefined;
const SAMPLER_RATE = 20; // Node requests/s that read the body: which version served, and when

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const { runDir, workspace } = benchDirs('sd-bench-zd-');

// --- the app workspace ---------------------------------------------------------------------------
function prepareVersion(version, { healthy }) {
  fs.writeFileSync(path.join(workspace, 'www/index.html'), `${version}\n`);
  const health = path.join(workspace, 'www/health');
  if (healthy) fs.writeFileSync(health, 'ok\n');
  else fs.rmSync(health, { force: true });
}

// --- running the action --------------------------------------------------------------------------
const loadChildren = [];
async function runAction(label, extraInputs = {}, origin = Date.now()) {
  const sha = crypto.randomBytes(20).toString('hex');
  const { code, started, ended, lines, logFile, outputs, stages } = await runBundledAction({
    runDir,
    workspace,
    label,
    sha,
    inputs: {
      ...dockerInputs({ image: IMAGE, app: APP, publicPort: PUBLIC_PORT }),
      'health-timeout': '15s',
      'health-interval': '250ms',
      'drain-timeout': '2s',
      ...extraInputs,
    },
  });
  // Each line stamped with its time since `origin` (the load's start), to line failures up with it.
  let log = '';
  for (const l of lines)
    log += l.tail ? `${l.text}\n` : `+${((l.time - origin) / 1000).toFixed(3)}s ${l.text}\n`;
  fs.writeFileSync(logFile, log);
  return { code, ms: ended - started, sha, log, logFile, outputs, stages, started };
}

// --- load ----------------------------------------------------------------------------------------
/**
 * hey with keep-alive off, as many single-worker processes of 25 req/s each, started at staggered
 * offsets. One hey process with many workers ticks all of them in the same phase (bursts of -c
 * connections at once), which overflows the app's small accept queue (busybox httpd listens with
 * a backlog of 9): the kernel drops SYNs, each costs a 1 s retransmit and hey's closed-loop
 * workers lose their ticks meanwhile, so such a run reaches about 300 req/s instead of 580.
 * Stopped with SIGINT, which makes each print its report.
 */
async function startHey(rate) {
  const perProcess = 25;
  const n = Math.max(1, Math.round(rate / perProcess));
  const procs = [];
  for (let i = 0; i < n; i++) {
    // -z bounds hey on its own should this script die; we stop it with SIGINT much sooner.
    procs.push(spawnHey(URL_, { seconds: DURATION_S + 240, concurrency: 1, perWorker: perProcess }));
    await sleep(1000 / perProcess / n);
  }
  return {
    children: procs.map((p) => p.child),
    async stop() {
      for (const p of procs) p.child.kill('SIGINT');
      const timer = setTimeout(() => procs.forEach((p) => p.child.kill('SIGKILL')), 20_000);
      const reports = await Promise.all(procs.map((p) => p.report()));
      clearTimeout(timer);
      const sum = { sent: 0, failed: 0, statuses: {}, errors: {}, secs: 0, processes: n };
      for (const r of reports) {
        sum.sent += r.sent;
        sum.failed += r.failed;
        sum.secs = Math.max(sum.secs, r.secs);
        for (const [k, v] of Object.entries(r.statuses)) sum.statuses[k] = (sum.statuses[k] ?? 0) + v;
        for (const [k, v] of Object.entries(r.errors)) sum.errors[k] = (sum.errors[k] ?? 0) + v;
      }
      return sum;
    },
  };
}

/**
 * Node load: a new connection per request (agent: false), at `rate`/s, each failure recorded with
 * its time. Used as a light sampler next to hey (to see which version answered, and when), and as
 * the whole load when hey is missing.
 */
function startNodeLoad(rate, { maxInFlight = 400 } = {}) {
  const started = Date.now();
  const st = { sent: 0, failed: 0, skipped: 0, versions: {}, failures: [], statuses: {} };
  let issued = 0;
  let inFlight = 0;
  let stopped = false;
  let settle;
  const settled = new Promise((r) => (settle = r));
  const fail = (reason, sent) => {
    st.failed++;
    if (st.failures.length < 200) st.failures.push({ at: Date.now(), sent, reason });
  };
  const one = () => {
    const sent = Date.now();
    issued++;
    inFlight++;
    const finish = () => {
      st.sent++;
      inFlight--;
      if (stopped && inFlight === 0) settle();
    };
    const req = http.get(
      { host: '127.0.0.1', port: PUBLIC_PORT, path: '/', agent: false, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => {
          const code = res.statusCode ?? 0;
          st.statuses[code] = (st.statuses[code] ?? 0) + 1;
          if (code >= 200 && code < 300) {
            const v = body.trim().split('\n')[0].slice(0, 40);
            st.versions[v] = (st.versions[v] ?? 0) + 1;
          } else fail(`HTTP ${code}: ${body.trim().slice(0, 80)}`, sent);
          finish();
        });
        res.on('error', (err) => {
          fail(`response: ${err.code ?? err.message}`, sent);
          finish();
        });
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err) => {
      fail(err.code ?? err.message, sent);
      finish();
    });
  };
  // Steady: when this process stalls (spawning the action, a GC), the slots it missed are
  // skipped rather than sent at once. A catch-up burst of a few dozen new connections overflows
  // busybox httpd's accept queue (backlog 9): Linux then drops the handshake's last ACK, the
  // connection waits seconds in retransmit backoff, and when the old container stops (or is
  // restarted on the same port by a rollback) it is reset: a 502 from the proxy. Real, but a
  // property of the example app and the 2 s drain, not of a steady load.
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    const burst = Math.ceil(rate / 100); // at most 10 ms worth at once
    if (due - issued > burst) {
      st.skipped += due - issued - burst;
      issued = due - burst;
    }
    while (issued < due && inFlight < maxInFlight) one();
  }, 5);
  return {
    st,
    async stop() {
      clearInterval(timer);
      const secs = (Date.now() - started) / 1000;
      stopped = true;
      if (inFlight > 0) await Promise.race([settled, sleep(15_000)]);
      return { ...st, secs };
    },
  };
}

/** One request, new connection: what the proxy serves right now. */
function served() {
  return new Promise((resolve) => {
    const req = http.get(
      { host: '127.0.0.1', port: PUBLIC_PORT, path: '/', agent: false, timeout: 5_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(res.statusCode === 200 ? body.trim() : `HTTP ${res.statusCode}`));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve(`error ${err.code ?? err.message}`));
  });
}

// --- cleanup -------------------------------------------------------------------------------------
function docker(...a) {
  try {
    return execFileSync('docker', a, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    return `error: ${(err.stderr || err.message).toString().trim()}`;
  }
}

/** The proxy's log (Caddy writes it to stderr) between two times, as {ms, line}. */
function proxyLogEntries(from, to) {
  const r = spawnSync(
    'docker',
    ['logs', '--since', new Date(from).toISOString(), '--until', new Date(to).toISOString(), PROXY],
    {
      encoding: 'utf8',
    },
  );
  return `${r.stdout ?? ''}${r.stderr ?? ''}`
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      try {
        const j = JSON.parse(l);
        const ms = Math.round(j.ts * 1000);
        return {
          ms,
          msg: j.msg,
          line: `${new Date(ms).toISOString()} ${j.level} ${j.logger ?? ''} ${j.msg}${j.error ? `: ${j.error}` : ''}`,
        };
      } catch {
        return { ms: NaN, msg: '', line: l.slice(0, 200) };
      }
    })
    .sort((a, b) => a.ms - b.ms);
}

/** Config reloads of the shared proxy (any app's) in a time window: when Caddy finished each. */
function proxyReloads(from, to) {
  return proxyLogEntries(from, to)
    .filter((e) => e.msg === 'load complete')
    .map((e) => e.ms);
}

/** What the proxy logged around a failure, without the per-reload chatter. */
function proxyLog(from, to) {
  return proxyLogEntries(from, to)
    .filter(
      (e) =>
        !/^(server running|autosaved config|started background|stopped background|admin endpoint started)/.test(
          e.msg,
        ),
    )
    .map((e) => e.line)
    .slice(0, 12);
}

let cleaned = false;
function cleanup() {
  if (cleaned) return;
  cleaned = true;
  killAction();
  for (const c of loadChildren) if (c.exitCode === null) c.kill('SIGKILL');
  if (KEEP) {
    console.log(`--keep: left ${APP}'s containers and proxy site; logs in ${runDir}`);
    return;
  }
  const ids = docker('ps', '-aq', '--filter', `label=safe-deploy.app=${APP}`)
    .split('\n')
    .filter((l) => /^[0-9a-f]+$/.test(l));
  for (const n of [
    ...ids,
    `safe-deploy-lock-${APP}-${ENVIRONMENT}`,
    `safe-deploy-probe-${APP}-${ENVIRONMENT}`,
  ])
    docker('rm', '-f', n);
  // The proxy stays (other apps use it); only this app's site goes, with a graceful reload.
  const site = siteFile(APP, ENVIRONMENT);
  if (!docker('exec', PROXY, 'ls', site).startsWith('error')) {
    docker('exec', PROXY, 'rm', '-f', site);
    docker('exec', PROXY, ...CADDY_RELOAD);
  }
  const images = docker('images', '--format', '{{.Repository}}:{{.Tag}}', IMAGE)
    .split('\n')
    .filter((l) => l.startsWith(IMAGE));
  if (images.length > 0) docker('rmi', ...images);
  const left = docker('ps', '-aq', '--filter', `label=safe-deploy.app=${APP}`);
  console.log(
    `cleanup: removed ${ids.length} container(s) of ${APP}${left ? `; still there: ${left}` : ''}; logs in ${runDir}`,
  );
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    console.error(`\n${sig}: cleaning up`);
    cleanup();
    process.exit(130);
  });
}

// --- the cases -----------------------------------------------------------------------------------
const problems = [];
const stageLine = (stages) =>
  stages
    .filter((s) => s.status !== 'skipped')
    .map(
      (s) =>
        `${s.name} ${secs(s.durationMs)}${s.status === 'passed' || s.status === 'success' ? '' : ` (${s.status})`}`,
    )
    .join(', ');

function lastLines(text, n = 25) {
  return text
    .split('\n')
    .filter((l) => !/^(\+[\d.]+s )?::add-mask::/.test(l))
    .slice(-n)
    .map((l) => `    | ${l}`)
    .join('\n');
}

async function initialDeploy() {
  prepareVersion('v1', { healthy: true });
  const run = await runAction('initial');
  const now = await served();
  console.log(
    `initial deploy (no load): result ${run.outputs.result ?? '?'}, exit ${run.code}, took ${secs(run.ms)}; serving "${now}"`,
  );
  if (run.outputs.result !== 'deployed' || now !== 'v1') {
    console.log(`  the initial deploy did not go live; log (${run.logFile}):\n${lastLines(run.log)}`);
    throw new Error('initial deploy failed; nothing to measure');
  }
}

async function runCase(c) {
  prepareVersion(c.version, { healthy: c.healthy });
  const before = await served();
  const loadStarted = Date.now();
  const hey = HEY ? await startHey(RATE - SAMPLER_RATE) : undefined;
  if (hey) loadChildren.push(...hey.children);
  const sampler = startNodeLoad(HEY ? SAMPLER_RATE : RATE);
  await sleep(LEAD_S * 1000);
  const run = await runAction(c.name, c.inputs, loadStarted);
  const deployEnded = Date.now();
  const until = Math.max(loadStarted + DURATION_S * 1000, deployEnded + TAIL_S * 1000);
  await sleep(until - Date.now());
  const [h, s] = await Promise.all([hey?.stop(), sampler.stop()]);
  const after = await served();

  const sent = (h?.sent ?? 0) + s.sent;
  const failed = (h?.failed ?? 0) + s.failed;
  const windowS = Math.max(h?.secs ?? 0, s.secs);
  const rate = sent / windowS;
  console.log(
    `${c.label}: ${fmt(sent)} requests (${fmt(rate)}/s), ${fmt(failed)} failed; deploy took ${secs(run.ms)}`,
  );
  const versions = Object.entries(s.versions)
    .map(([v, n]) => `${v} ${fmt(n)}`)
    .join(', ');
  console.log(
    `    result ${run.outputs.result ?? '(none)'} (exit ${run.code}); stages: ${stageLine(run.stages) || '(no stages output)'}`,
  );
  console.log(
    `    load ${windowS.toFixed(1)} s, deploy from +${secs(run.started - loadStarted)} to +${secs(deployEnded - loadStarted)}; ` +
      `${
        h
          ? `hey ${fmt(h.sent)} (${Object.entries(h.statuses)
              .map(([k, v]) => `[${k}] ${fmt(v)}`)
              .join(' ')}) + `
          : ''
      }` +
      `sampler ${fmt(s.sent)}; versions seen by the sampler: ${versions || 'none'}; serving "${before}" -> "${after}"`,
  );
  // Each `caddy reload` (this deploy's switch, its rollback, or another app's deploy on the same
  // proxy) replaces the proxy's listening socket; failures that line up with one are its doing.
  const reloads = proxyReloads(loadStarted, Date.now());
  const ours = reloads.filter((ms) => ms >= run.started && ms <= deployEnded).length;
  console.log(
    `    proxy config reloads during the load: ${reloads.length} (${ours} while this deploy ran, ${reloads.length - ours} outside it: other apps on ${PROXY}) at ` +
      (reloads.map((ms) => `+${((ms - loadStarted) / 1000).toFixed(3)}s`).join(' ') || '-'),
  );
  if (h) for (const [msg, n] of Object.entries(h.errors)) console.log(`    hey error x${n}: ${msg}`);
  // Failures grouped by the 10 ms they happened in and their reason, with what the proxy did then.
  const groups = new Map();
  for (const f of s.failures) {
    const key = `${Math.floor(f.at / 10)} ${f.reason}`;
    const g = groups.get(key) ?? { ...f, n: 0, firstSent: f.sent };
    g.n++;
    g.firstSent = Math.min(g.firstSent, f.sent);
    groups.set(key, g);
  }
  for (const g of [...groups.values()].slice(0, 8)) {
    console.log(
      `    ${g.n} ${h ? 'sampler' : 'Node'} failure(s) at +${((g.at - loadStarted) / 1000).toFixed(3)}s (${new Date(g.at).toISOString()}), ` +
        `sent from +${((g.firstSent - loadStarted) / 1000).toFixed(3)}s: ${g.reason}`,
    );
    const near = reloads.filter((ms) => Math.abs(ms - g.at) < 50);
    if (near.length > 0) console.log(`      a proxy config reload completed within 50 ms of it`);
    else for (const l of proxyLog(g.at - 1500, g.at + 500).slice(0, 4)) console.log(`      proxy: ${l}`);
  }
  if (s.skipped > 0)
    console.log(
      `    (the Node generator stalled and skipped ${fmt(s.skipped)} slot(s) rather than bursting)`,
    );

  const why = [];
  if (failed > 0) why.push(`${fmt(failed)} failed request(s)`);
  if (sent < MIN_REQUESTS) why.push(`only ${fmt(sent)} requests (< ${fmt(MIN_REQUESTS)})`);
  if (rate < MIN_RATE) why.push(`only ${fmt(rate)} req/s (< ${MIN_RATE})`);
  if (run.outputs.result !== c.expect.result)
    why.push(`result ${run.outputs.result ?? '(none)'}, expected ${c.expect.result}`);
  if (after !== c.expect.serving) why.push(`serving "${after}" afterwards, expected "${c.expect.serving}"`);
  for (const v of c.expect.never ?? [])
    if (s.versions[v])
      why.push(`${v} answered ${s.versions[v]} sampled request(s) but must never get traffic`);
  if (why.length > 0) {
    problems.push(`${c.label}: ${why.join('; ')}`);
    console.log(`    PROBLEM: ${why.join('; ')}; action log ${run.logFile}:\n${lastLines(run.log)}`);
  }
}

const cases = [
  {
    name: 'good',
    label: 'good deploy',
    version: 'v2',
    healthy: true,
    expect: { result: 'deployed', serving: 'v2' },
  },
  {
    name: 'unhealthy',
    label: 'unhealthy new version',
    version: 'v3-unhealthy',
    healthy: false,
    expect: { result: 'failed', serving: 'v2', never: ['v3-unhealthy'] },
  },
  {
    name: 'verify-fails',
    label: 'verify fails, rolled back',
    version: 'v4-smoke-fails',
    healthy: true,
    inputs: { 'smoke-command': 'exit 1' },
    expect: { result: 'rolled-back', serving: 'v2' },
  },
];

try {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: npm run -s build`);
  console.log(
    `zero-downtime bench: ${URL_} via ${PROXY}, ${HEY ? `hey -disable-keepalive at ${Math.max(1, Math.round((RATE - SAMPLER_RATE) / 25)) * 25}/s (${Math.max(1, Math.round((RATE - SAMPLER_RATE) / 25))} staggered processes x 25/s) + Node sampler at ${SAMPLER_RATE}/s` : `Node load at ${RATE}/s, a new connection per request${LOAD === 'hey' ? ' (hey not found)' : ''}`}, ` +
      `${DURATION_S} s per case (deploy starts after ${LEAD_S} s); node ${process.version}`,
  );
  await initialDeploy();
  for (const c of cases) await runCase(c);
} catch (err) {
  problems.push(err.message);
  console.error(`error: ${err.message}`);
} finally {
  cleanup();
}
if (problems.length > 0) {
  console.log(`FAILED: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log('OK: no failed requests');
