#!/usr/bin/env node
// Rollback bench: how long a rollback by re-run takes through the bundled action
// (`node dist/index.js`, as the GitHub runner runs it), next to the same steps done by hand with
// the docker CLI (the floor), in one run.
//
// Setup: version A (sha A) and then version B (sha B) of examples/hello-app are deployed through
// dist (gate `true`, so each image carries dev.safe-deploy.gate=passed). Then, per repetition,
// with X live and Y the version before it:
//   floor   by hand: `docker run -d --network host -e PORT=<free> <Y by digest>`, poll its /health
//           until 200, write the proxy's site file for bench-rb (docker exec -i … cat >), `caddy
//           reload`, poll the public port until Y's page answers. Then the site file is written
//           back, reloaded, X answers again, and the hand-made container is removed.
//   action  re-run of Y's run: same inputs, same sha, GITHUB_RUN_ATTEMPT=2. The public port is
//           polled every 20 ms from the spawn until Y's page answers; the process time is kept too.
// Y is live afterwards, so the next repetition rolls back to X: every measured run is a real
// rollback to the version live before. Medians are reported. Only 127.0.0.1 is contacted.
//
// GitHub: every action run records its deployment in the tests' local GitHub fake (github-token
// set, GITHUB_API_URL pointing at it), which answers each request after --github-latency ms
// (default 100, a hosted runner's round trip to api.github.com); each run's request count is printed.
//
// Usage: bash scripts/services.sh && node bench/rollback.mjs [--reps 5] [--keep] [--trace-docker]
//        [--github-latency 100]
//   (or bash bench/rollback.sh [options])
// Exits 1 on errors (a deploy or rollback that did not end as expected), not on slow figures;
// prints whether the goal (<= 5 s and <= 1.5x the floor) is met.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  benchDirs,
  CADDY_RELOAD as RELOAD,
  DIST,
  dockerInputs,
  killAction,
  PROXY,
  runAction as runBundledAction,
  siteFile,
} from './lib/action.mjs';
import { docker, get, median, pollUntil, POLL_MS, secs, swapByHand } from './lib/by-hand.mjs';
import { DEFAULT_LATENCY_MS, startFakeGitHub } from './lib/fake-github.mjs';

const APP = 'bench-rb';
const ENVIRONMENT = 'production';
const IMAGE = '127.0.0.1:5000/bench-rollback';
const PUBLIC_PORT = 18990;
const SITE = siteFile(APP, ENVIRONMENT);
const HAND_LABEL = 'safe-deploy-bench.rollback-by-hand';
const GOAL_S = 5;
const GOAL_RATIO = 1.5;

const args = process.argv.slice(2);
const argAt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const REPS = Number(argAt('reps') ?? 5);
const KEEP = args.includes('--keep');
// --trace-docker: one more re-run after the measured ones, its Docker API calls logged through a
// unix-socket relay (DOCKER_HOST): each call's start since the spawn and its duration.
const TRACE = args.includes('--trace-docker');
const GITHUB_LATENCY = Number(argAt('github-latency') ?? DEFAULT_LATENCY_MS);
if (!Number.isInteger(REPS) || REPS < 1 || !(GITHUB_LATENCY >= 0)) {
  console.error('usage: node bench/rollback.mjs [--reps N] [--keep] [--trace-docker] [--github-latency MS]');
  process.exit(2);
}

const { runDir, workspace } = benchDirs('sd-bench-rb-');
const github = await startFakeGitHub({ latencyMs: GITHUB_LATENCY });
const GITHUB_TOKEN = 'ghs_benchRollbackToken0123456789';
const nonce = crypto.randomBytes(3).toString('hex');

const served = async () => {
  const r = await get(PUBLIC_PORT, '/');
  return r.error ? `error ${r.error}` : r.status === 200 ? r.body : `HTTP ${r.status}`;
};

// --- the app versions ----------------------------------------------------------------------------
const versions = {
  A: {
    name: 'A',
    sha: crypto.randomBytes(20).toString('hex'),
    runId: '2001',
    page: `bench-rollback A ${nonce}`,
  },
  B: {
    name: 'B',
    sha: crypto.randomBytes(20).toString('hex'),
    runId: '2002',
    page: `bench-rollback B ${nonce}`,
  },
};

// --- running the action --------------------------------------------------------------------------
/**
 * Runs `node dist/index.js` for `version` as the runner would; `watch` (optional) is started at
 * the spawn and its result (a time) is returned next to the process's.
 */
async function runAction(label, version, { attempt = 1, watch, extraEnv = {} } = {}) {
  let watched;
  const requestsBefore = github.requests.length;
  const run = await runBundledAction({
    runDir,
    workspace,
    label,
    sha: version.sha,
    runId: version.runId,
    attempt,
    env: { GITHUB_API_URL: github.url, ...extraEnv },
    inputs: {
      ...dockerInputs({ image: IMAGE, app: APP, publicPort: PUBLIC_PORT }),
      'github-token': GITHUB_TOKEN,
      'test-command': 'true',
      'health-interval': '100ms',
      'health-timeout': '15s',
      'drain-timeout': '1s',
    },
    onSpawn: (started) => (watched = watch?.(started)),
  });
  const { code, started, ended, outputs, stages, logFile } = run;
  // Every line stamped with its time since the spawn: where the time goes.
  const lines = run.lines.map((l) => ({ at: l.time - started, text: l.text }));
  fs.writeFileSync(logFile, lines.map((l) => `+${(l.at / 1000).toFixed(3)}s ${l.text}`).join('\n') + '\n');
  let answeredAt;
  let watchError;
  if (watched) {
    try {
      answeredAt = await watched;
    } catch (err) {
      watchError = err;
    }
  }
  return {
    code,
    started,
    githubRequests: github.requests.slice(requestsBefore),
    processMs: ended - started,
    answeredMs: answeredAt === undefined ? undefined : answeredAt - started,
    watchError,
    lines,
    logFile,
    outputs,
    stages,
  };
}

function lastLines(run, n = 25) {
  return run.lines
    .filter((l) => !l.text.startsWith('::add-mask::'))
    .slice(-n)
    .map((l) => `    | +${(l.at / 1000).toFixed(3)}s ${l.text}`)
    .join('\n');
}

/** Milestones of a run, read from its stamped log: when each first appeared, since the spawn. */
const MILESTONES = [
  ['first log line', /./], // node start, bundle loaded, inputs parsed
  ['build stage', /^::group::build/], // the registry said <image>:<sha> exists, gate passed
  ['deploy stage', /^::group::deploy/],
  ['target state read', /^Live in /], // live version and retained containers read from the host
  ['deploying', /^deploying /],
  ['lock, live read', /^live: /], // images checked, lock taken, proxy checked, live read again
  ['container started', /^started \S+; probing/], // host port picked, container created and started
  ['healthy', /^healthy after/],
  ['switched', /^switched :\d+ to/], // restart policy, site file written, caddy reload
  ['old stopped', /^stopping /], // after drain-timeout
  ['deploy done', /^deploy passed/],
];
function milestones(run) {
  const out = [];
  for (const [name, re] of MILESTONES) {
    const l = run.lines.find((x) => !x.text.startsWith('::add-mask::') && re.test(x.text));
    if (l) out.push([name, l.at]);
  }
  return out;
}
const stageLine = (stages) =>
  stages
    .map(
      (s) =>
        `${s.name} ${s.status === 'skipped' ? 'skipped' : `${s.durationMs} ms`}${s.status === 'passed' || s.status === 'skipped' ? '' : ` (${s.status})`}`,
    )
    .join(', ');

// --- the floor: the same steps by hand ----------------------------------------------------------
const handContainers = new Set();
async function byHand(to, live) {
  const name = `bench-rb-by-hand-${to.name}-${crypto.randomBytes(3).toString('hex')}`;
  const before = await docker(['exec', PROXY, 'cat', SITE]);
  handContainers.add(name);
  const t = await swapByHand({
    proxy: PROXY,
    reload: RELOAD,
    site: SITE,
    publicPort: PUBLIC_PORT,
    name,
    label: `${HAND_LABEL}=${APP}`,
    image: to.imageRef,
    sha: to.sha,
    page: to.page,
  });

  // Put the action's state back: its site file, the live version answering, no hand-made container.
  await docker(['exec', '-i', PROXY, 'sh', '-c', `cat > ${SITE}`], { input: `${before}\n` });
  await docker(['exec', PROXY, ...RELOAD]);
  await pollUntil(PUBLIC_PORT, '/', (r) => r.status === 200 && r.body === live.page, 15_000);
  await docker(['rm', '-f', name]);
  handContainers.delete(name);
  return t;
}

// --- Docker API trace (--trace-docker) -----------------------------------------------------------
/**
 * A unix socket that relays to the engine's and notes every request: its start, the status line,
 * and its last byte (a hijacked exec stream ends when its connection closes). Exec commands are
 * named from the exec-create body and the Id the engine answers.
 */
function startDockerTrace(engine = '/var/run/docker.sock') {
  const sock = path.join(runDir, 'docker-trace.sock');
  const calls = [];
  const execCmd = new Map();
  const server = net.createServer((client) => {
    const upstream = net.connect(engine);
    let current;
    let pendingCmd;
    client.on('data', (d) => {
      const text = d.toString('latin1');
      const m = /^(GET|POST|PUT|DELETE|HEAD) (\S+) HTTP/.exec(text);
      if (m) {
        let url = decodeURIComponent(m[2]).replace(/^\/v[\d.]+/, '');
        const id = /\/exec\/([0-9a-f]{12,})\//.exec(url)?.[1];
        if (id) url = url.replace(id, id.slice(0, 8)) + (execCmd.has(id) ? `  [${execCmd.get(id)}]` : '');
        current = { at: Date.now(), method: m[1], url: url.slice(0, 140) };
        calls.push(current);
      }
      // The exec-create body is JSON; a command with `]` inside a string (an awk program) defeats a
      // regex, so the body is parsed, and a body split across chunks is named by its first words.
      const body = text.slice(text.indexOf('\r\n\r\n') + 4);
      if (/"Cmd":/.test(body)) {
        try {
          pendingCmd = JSON.parse(body).Cmd.join(' ').slice(0, 60);
        } catch {
          pendingCmd = /"Cmd":\[([^\]]{0,60})/.exec(body)?.[1] ?? 'exec';
        }
      }
      upstream.write(d);
    });
    upstream.on('data', (d) => {
      if (current) {
        current.status ??= /^HTTP\/1\.1 (\d{3})/.exec(d.toString('latin1'))?.[1];
        current.end = Date.now();
        const id = /"Id":"([0-9a-f]{64})"/.exec(d.toString('latin1'))?.[1];
        if (id && pendingCmd && current.url.endsWith('/exec')) {
          execCmd.set(id, pendingCmd);
          current.url += `  [${pendingCmd}]`;
          pendingCmd = undefined;
        }
      }
      client.write(d);
    });
    const close = () => {
      if (current && current.status === '101') current.end = Date.now();
      client.destroy();
      upstream.destroy();
    };
    client.on('close', close);
    upstream.on('close', close);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(sock, () =>
      resolve({ env: { DOCKER_HOST: `unix://${sock}` }, calls, close: () => server.close() }),
    );
  });
}

function printTrace(run, calls, started) {
  console.log(
    `Docker API and GitHub calls of the traced re-run (ms since spawn, duration; log ${run.logFile}):`,
  );
  const events = [
    ...calls.map((c) => ({
      at: c.at - started,
      text: `${c.method.padEnd(6)} ${c.url} -> ${c.status ?? '?'} (${c.end ? c.end - c.at : '?'} ms)`,
    })),
    ...run.githubRequests.map((q) => ({
      at: q.receivedAt - started,
      text: `GITHUB ${q.method} ${q.path} (answered ${GITHUB_LATENCY} ms later)`,
    })),
    ...run.lines
      .filter((l) => !l.text.startsWith('::'))
      .map((l) => ({ at: l.at, text: `LOG    ${l.text.slice(0, 120)}` })),
    { at: run.answeredMs, text: 'ANSWER old version answers through the proxy' },
  ].sort((a, b) => a.at - b.at);
  for (const e of events) console.log(`  ${String(e.at).padStart(5)}  ${e.text}`);
}

// --- cleanup -------------------------------------------------------------------------------------
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  killAction();
  await github.close();
  const hand = (await docker(['ps', '-aq', '--filter', `label=${HAND_LABEL}`], { allowFail: true }))
    .split('\n')
    .filter((l) => /^[0-9a-f]+$/.test(l));
  if (hand.length > 0) await docker(['rm', '-f', ...hand], { allowFail: true });
  if (KEEP) {
    console.log(`--keep: left ${APP}'s containers and proxy site; logs in ${runDir}`);
    return;
  }
  const ids = (await docker(['ps', '-aq', '--filter', `label=safe-deploy.app=${APP}`], { allowFail: true }))
    .split('\n')
    .filter((l) => /^[0-9a-f]+$/.test(l));
  for (const n of [...ids, `safe-deploy-lock-${APP}-${ENVIRONMENT}`])
    await docker(['rm', '-f', n], { allowFail: true });
  // The proxy stays (other apps use it); only this app's site goes, with a graceful reload.
  if (!(await docker(['exec', PROXY, 'ls', SITE], { allowFail: true })).startsWith('error')) {
    await docker(['exec', PROXY, 'rm', '-f', SITE], { allowFail: true });
    await docker(['exec', PROXY, ...RELOAD], { allowFail: true });
  }
  const images = (
    await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', IMAGE], { allowFail: true })
  )
    .split('\n')
    .filter((l) => l.startsWith(`${IMAGE}:`));
  if (images.length > 0) await docker(['rmi', ...images], { allowFail: true });
  const left = await docker(['ps', '-aq', '--filter', `label=safe-deploy.app=${APP}`], { allowFail: true });
  console.log(
    `cleanup: removed ${ids.length + hand.length} container(s)${left ? `; still there: ${left}` : ''}; logs in ${runDir}`,
  );
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    console.error(`\n${sig}: cleaning up`);
    await cleanup();
    process.exit(130);
  });
}

/** What else the host is doing: both figures move with it (the action reads /proc/net/tcp*). */
function hostState() {
  const load = os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  let tw = '?';
  try {
    tw = /\btw (\d+)/.exec(fs.readFileSync('/proc/net/sockstat', 'utf8'))?.[1] ?? '?';
  } catch {
    /* not Linux */
  }
  return `${os.cpus().length} CPU(s), load ${load}, ${tw} TCP sockets in TIME_WAIT`;
}

// --- the bench -----------------------------------------------------------------------------------
async function deployVersion(v) {
  fs.writeFileSync(path.join(workspace, 'www/index.html'), `${v.page}\n`);
  const run = await runAction(`deploy-${v.name}`, v);
  const now = await served();
  console.log(
    `deploy ${v.name} (${v.sha.slice(0, 7)}): result ${run.outputs.result ?? '?'}, exit ${run.code}, ${secs(run.processMs)}; ` +
      `stages: ${stageLine(run.stages)}; ${run.githubRequests.length} GitHub request(s); serving "${now}"`,
  );
  if (run.code !== 0 || run.outputs.result !== 'deployed' || now !== v.page || !run.outputs['image-ref']) {
    console.log(`  log (${run.logFile}):\n${lastLines(run)}`);
    throw new Error(`deploying ${v.name} failed; nothing to measure`);
  }
  v.imageRef = run.outputs['image-ref'];
}

async function rollbackByRerun(to, extraEnv = {}) {
  const run = await runAction(`rerun-${to.name}`, to, {
    attempt: 2,
    extraEnv,
    watch: () => pollUntil(PUBLIC_PORT, '/', (r) => r.status === 200 && r.body === to.page, 60_000),
  });
  const why = [];
  if (run.code !== 0) why.push(`exit ${run.code}`);
  if (run.outputs.result !== 'rolled-back')
    why.push(`result ${run.outputs.result ?? '(none)'}, expected rolled-back`);
  if (run.outputs.rollback !== 'true')
    why.push(`rollback output ${run.outputs.rollback ?? '(none)'}, expected true`);
  if (run.outputs['build-skipped'] !== 'true') why.push('the build was not skipped');
  if (run.stages.find((s) => s.name === 'gate')?.status !== 'skipped') why.push('the gate ran again');
  if (run.watchError) why.push(run.watchError.message);
  if (why.length > 0) {
    console.log(`  re-run of ${to.name}: ${why.join('; ')}; log (${run.logFile}):\n${lastLines(run)}`);
    throw new Error(`the re-run of ${to.name} did not roll back cleanly: ${why.join('; ')}`);
  }
  return run;
}

let failed = false;
try {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: npm run -s build`);
  console.log(
    `rollback bench: ${REPS} repetition(s), public port ${PUBLIC_PORT} via ${PROXY}, polling every ${POLL_MS} ms; node ${process.version}`,
  );
  console.log(`host: ${hostState()}`);
  // Leftovers of an interrupted earlier run of this bench would be taken for retained versions.
  const stale = (await docker(['ps', '-aq', '--filter', `label=safe-deploy.app=${APP}`]))
    .split('\n')
    .filter(Boolean);
  if (stale.length > 0) await docker(['rm', '-f', ...stale]);
  await docker(['rm', '-f', `safe-deploy-lock-${APP}-${ENVIRONMENT}`], { allowFail: true });

  await deployVersion(versions.A);
  await deployVersion(versions.B);

  let live = versions.B;
  const reps = [];
  for (let i = 1; i <= REPS; i++) {
    const to = live === versions.A ? versions.B : versions.A;
    const hand = await byHand(to, live);
    const run = await rollbackByRerun(to);
    reps.push({ to, hand, run });
    console.log(
      `rep ${i}: ${live.name} -> ${to.name}  action: ${secs(run.answeredMs)} to ${to.name} answering, process ${secs(run.processMs)}` +
        ` (${stageLine(run.stages)}; ${run.githubRequests.length} GitHub requests)  |  by hand: ${secs(hand.answered)}` +
        ` (run ${hand.run} ms, healthy ${hand.healthy} ms, site ${hand.written} ms, reload ${hand.reloaded} ms)`,
    );
    live = to;
  }

  const aMed = median(reps.map((r) => r.run.answeredMs));
  const pMed = median(reps.map((r) => r.run.processMs));
  const hMed = median(reps.map((r) => r.hand.answered));
  const ratio = aMed / hMed;

  // Where the action's time goes: each milestone's median time since the spawn.
  console.log('action milestones (median ms since spawn):');
  const names = MILESTONES.map(([n]) => n);
  const per = Object.fromEntries(names.map((n) => [n, []]));
  for (const r of reps) for (const [n, at] of milestones(r.run)) per[n].push(at);
  const rows = names.filter((n) => per[n].length > 0).map((n) => [n, median(per[n])]);
  rows.push(['OLD VERSION ANSWERS', aMed], ['process exit', pMed]);
  rows.sort((x, y) => x[1] - y[1]);
  let prev = 0;
  for (const [n, m] of rows) {
    console.log(`  ${n.padEnd(20)} ${String(Math.round(m)).padStart(6)}  (+${Math.round(m - prev)})`);
    prev = m;
  }
  const stageNames = [...new Set(reps.flatMap((r) => r.run.stages.map((s) => s.name)))];
  const stageMed = stageNames
    .map((n) => {
      const xs = reps
        .map((r) => r.run.stages.find((s) => s.name === n))
        .filter((s) => s && s.status !== 'skipped');
      return xs.length ? `${n} ${Math.round(median(xs.map((s) => s.durationMs)))} ms` : `${n} skipped`;
    })
    .join(', ');
  console.log(`stages (median): ${stageMed}`);
  console.log(
    `by hand (median ms since the first docker command): run ${Math.round(median(reps.map((r) => r.hand.run)))}, ` +
      `healthy ${Math.round(median(reps.map((r) => r.hand.healthy)))}, site written ${Math.round(median(reps.map((r) => r.hand.written)))}, ` +
      `reloaded ${Math.round(median(reps.map((r) => r.hand.reloaded)))}, answering ${Math.round(hMed)}`,
  );
  console.log(
    `rollback via re-run (dist/index.js): median ${secs(aMed)} to old version answering (process ${secs(pMed)}); ` +
      `by hand with docker CLI: median ${secs(hMed)}; ratio ${ratio.toFixed(2)}×`,
  );
  const counts = reps.map((r) => r.run.githubRequests.length);
  console.log(
    `GitHub (fake, ${GITHUB_LATENCY} ms a request): ${counts.join(', ')} request(s) per re-run, at most ${github.maxInFlight} at a time; ` +
      `the last re-run's: ${reps
        .at(-1)
        .run.githubRequests.map((q) => `${q.method} ${q.path}`)
        .join(', ')}`,
  );
  console.log(`host afterwards: ${hostState()}`);
  if (TRACE) {
    const to = live === versions.A ? versions.B : versions.A;
    const trace = await startDockerTrace();
    const run = await rollbackByRerun(to, trace.env);
    trace.close();
    console.log(
      `traced re-run (not in the medians): ${live.name} -> ${to.name}, ${secs(run.answeredMs)} to answering, process ${secs(run.processMs)}`,
    );
    printTrace(run, trace.calls, run.started);
    live = to;
  }
  const met = aMed <= GOAL_S * 1000 && ratio <= GOAL_RATIO;
  console.log(`goal (<= ${GOAL_S} s and <= ${GOAL_RATIO}× the floor): ${met ? 'met' : 'NOT met'}`);
} catch (err) {
  failed = true;
  console.error(`error: ${err.message}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
