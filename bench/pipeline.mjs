#!/usr/bin/env node
// Push-to-live bench: a new commit of examples/hello-app built, pushed and put live behind the
// Caddy proxy through the bundled action (`node dist/index.js`, as the GitHub runner runs it),
// next to the same steps by hand in the same run, alternating which goes first; medians, ratio.
//
//   action   a push of a new commit: image, deploy-to docker, everything else at its default
//            (drain-timeout 30s, health-interval 1s, no gate commands), github-token set against
//            the tests' GitHub fake answering after --github-latency ms (default 100, like a runner).
//            Timed from the spawn to the process exit (when the workflow step ends), and to the new
//            page answering through the proxy (polled every 20 ms).
//   by hand  `DOCKER_BUILDKIT=1 /usr/bin/docker build --network host` (Debian's CLI: BuildKit
//            without buildx; the host network because this engine runs with --bridge=none),
//            `docker push`, then the hand swap: `docker run -d` on a free port, poll /health until
//            200, write the proxy's site file (`docker exec -i … cat >`), `caddy reload`, poll the
//            public port until the new page answers, `docker stop` + `docker rm` the old container.
//            Timed to the new page answering and to the old container gone. It uses its own site
//            and public port, so the two never touch each other's containers.
//
// Every repetition is a new commit (new page, new sha) for each side; the engine's layer cache is
// shared, so both rebuild exactly the changed page. Only 127.0.0.1 is contacted.
//
// Usage: bash scripts/services.sh && npm run -s build && node bench/pipeline.mjs [--reps 5]
//        [--github-latency 100] [--drain-timeout <d>] [--keep] [--trace]
//   --drain-timeout  passes that input (default: not set, the action's default); for diagnosis only.
//   --trace          one more push after the measured ones: its log, each line stamped with its
//                    time since the spawn, with its GitHub requests and each file of dist/ loaded
//                    (through __tests__/helpers/load-trace.cjs): where the time goes.
// Exits 1 on errors (a deploy that did not end as expected), not on slow figures; prints whether
// the goal (<= 1.2x by hand, process exit vs old container gone) is met.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  benchDirs,
  CADDY_RELOAD,
  DIST,
  dockerInputs,
  killAction,
  PROXY,
  ROOT,
  runAction,
  siteFile,
} from './lib/action.mjs';
import { DEBIAN_DOCKER, docker, median, pollUntil, secs, swapByHand } from './lib/by-hand.mjs';
import { DEFAULT_LATENCY_MS, startFakeGitHub } from './lib/fake-github.mjs';

const APP = 'bench-pl';
const HAND_APP = 'bench-pl-hand';
const ENVIRONMENT = 'production';
const IMAGE = '127.0.0.1:5000/bench-pipeline';
const HAND_IMAGE = '127.0.0.1:5000/bench-pipeline-hand';
const PUBLIC_PORT = 18993;
const HAND_PORT = 18994;
const HAND_SITE = siteFile(HAND_APP, ENVIRONMENT);
const HAND_LABEL = 'safe-deploy-bench.pipeline-by-hand';
const GOAL_RATIO = 1.2;

const args = process.argv.slice(2);
const argAt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const REPS = Number(argAt('reps') ?? 5);
const GITHUB_LATENCY = Number(argAt('github-latency') ?? DEFAULT_LATENCY_MS);
const DRAIN = argAt('drain-timeout');
const KEEP = args.includes('--keep');
const TRACE = args.includes('--trace');
if (!Number.isInteger(REPS) || REPS < 1 || !(GITHUB_LATENCY >= 0)) {
  console.error(
    'usage: node bench/pipeline.mjs [--reps N] [--github-latency MS] [--drain-timeout D] [--keep] [--trace]',
  );
  process.exit(2);
}

const nonce = crypto.randomBytes(3).toString('hex');
const action = benchDirs('sd-bench-pl-');
const hand = benchDirs('sd-bench-pl-hand-');
const github = await startFakeGitHub({ latencyMs: GITHUB_LATENCY });
const GITHUB_TOKEN = 'ghs_benchPipelineToken0123456789';
let runId = 3000;

/** A new commit: a new page in the workspace and a new sha. */
function commit(workspace, side, n) {
  const page = `bench-pipeline ${side} ${n} ${nonce}`;
  fs.writeFileSync(path.join(workspace, 'www/index.html'), `${page}\n`);
  return { sha: crypto.randomBytes(20).toString('hex'), page };
}

// --- through the action --------------------------------------------------------------------------
async function throughAction(n, extraEnv = {}) {
  const v = commit(action.workspace, 'action', n);
  const before = github.requests.length;
  const stop = new AbortController();
  let answering;
  const run = await runAction({
    runDir: action.runDir,
    workspace: action.workspace,
    label: `push-${n}`,
    sha: v.sha,
    runId: String(runId++),
    env: { GITHUB_API_URL: github.url, ...extraEnv },
    inputs: {
      ...dockerInputs({ image: IMAGE, app: APP, publicPort: PUBLIC_PORT }),
      'github-token': GITHUB_TOKEN,
      ...(DRAIN ? { 'drain-timeout': DRAIN } : {}),
    },
    onSpawn: () =>
      (answering = pollUntil(
        PUBLIC_PORT,
        '/',
        (r) => r.status === 200 && r.body === v.page,
        120_000,
        stop.signal,
      )),
  });
  // A run that failed will not put the page live: stop waiting for it.
  if (run.code !== 0) stop.abort();
  const lines = run.lines.map((l) => ({ at: l.time - run.started, text: l.text }));
  fs.writeFileSync(
    run.logFile,
    lines.map((l) => `+${(l.at / 1000).toFixed(3)}s ${l.text}`).join('\n') + '\n',
  );
  let answeredAt;
  const why = [];
  try {
    answeredAt = await answering;
  } catch (err) {
    why.push(err.message);
  }
  if (run.code !== 0) why.push(`exit ${run.code}`);
  if (run.outputs.result !== 'deployed')
    why.push(`result ${run.outputs.result ?? '(none)'}, expected deployed`);
  if (why.length > 0) {
    const tail = lines
      .filter((l) => !l.text.startsWith('::add-mask::'))
      .slice(-25)
      .map((l) => `    | +${(l.at / 1000).toFixed(3)}s ${l.text}`)
      .join('\n');
    throw new Error(
      `push ${n} through the action did not go live: ${why.join('; ')}; log ${run.logFile}:\n${tail}`,
    );
  }
  return {
    doneMs: run.ended - run.started,
    answeredMs: answeredAt - run.started,
    stages: run.stages,
    requests: github.requests.slice(before),
    lines,
    started: run.started,
  };
}

// --- by hand --------------------------------------------------------------------------------------
let handLive; // { name, page }
const handContainers = new Set();

async function byHand(n) {
  const v = commit(hand.workspace, 'hand', n);
  const tag = `${HAND_IMAGE}:${v.sha}`;
  const name = `${HAND_APP}-${v.sha.slice(0, 12)}`;
  const t = {};
  const t0 = Date.now();
  // --network host: this engine runs with --bridge=none, where BuildKit's RUN finds no network.
  await docker(['build', '-q', '--network', 'host', '-t', tag, hand.workspace], {
    bin: DEBIAN_DOCKER,
    env: { DOCKER_BUILDKIT: '1' },
  });
  t.built = Date.now() - t0;
  await docker(['push', '-q', tag], { bin: DEBIAN_DOCKER });
  t.pushed = Date.now() - t0;
  handContainers.add(name);
  const swapAt = Date.now() - t0;
  const swap = await swapByHand({
    proxy: PROXY,
    reload: CADDY_RELOAD,
    site: HAND_SITE,
    publicPort: HAND_PORT,
    name,
    label: `${HAND_LABEL}=${HAND_APP}`,
    image: tag,
    sha: v.sha,
    page: v.page,
  });
  t.healthy = swapAt + swap.healthy;
  t.reloaded = swapAt + swap.reloaded;
  t.answered = swapAt + swap.answered;
  if (handLive) {
    await docker(['stop', handLive.name]);
    await docker(['rm', handLive.name]);
    handContainers.delete(handLive.name);
  }
  t.done = Date.now() - t0;
  handLive = { name, page: v.page };
  return t;
}

// --- cleanup -------------------------------------------------------------------------------------
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  killAction();
  await github.close();
  if (KEEP) {
    console.log(
      `--keep: left ${APP}'s and ${HAND_APP}'s containers and proxy sites; logs in ${action.runDir}`,
    );
    return;
  }
  const ids = [];
  for (const filter of [`label=${HAND_LABEL}`, `label=safe-deploy.app=${APP}`])
    ids.push(
      ...(await docker(['ps', '-aq', '--filter', filter], { allowFail: true }))
        .split('\n')
        .filter((l) => /^[0-9a-f]+$/.test(l)),
    );
  for (const id of [...ids, `safe-deploy-lock-${APP}-${ENVIRONMENT}`])
    await docker(['rm', '-f', id], { allowFail: true });
  // The proxy stays (other apps use it); only these two sites go, with a graceful reload.
  const sites = [siteFile(APP, ENVIRONMENT), HAND_SITE];
  await docker(['exec', PROXY, 'rm', '-f', ...sites], { allowFail: true });
  await docker(['exec', PROXY, ...CADDY_RELOAD], { allowFail: true });
  for (const repo of [IMAGE, HAND_IMAGE]) {
    const images = (
      await docker(['images', '--format', '{{.Repository}}:{{.Tag}}', repo], { allowFail: true })
    )
      .split('\n')
      .filter((l) => l.startsWith(`${repo}:`));
    if (images.length > 0) await docker(['rmi', ...images], { allowFail: true });
  }
  console.log(`cleanup: removed ${ids.length} container(s); logs in ${action.runDir}`);
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    console.error(`\n${sig}: cleaning up`);
    await cleanup();
    process.exit(130);
  });
}

const stageLine = (stages) =>
  stages.map((s) => `${s.name} ${s.status === 'skipped' ? 'skipped' : `${s.durationMs} ms`}`).join(', ');

// --- the bench -----------------------------------------------------------------------------------
let failed = false;
try {
  if (!fs.existsSync(DIST)) throw new Error(`${DIST} is missing: npm run -s build`);
  console.log(
    `pipeline bench: ${REPS} repetition(s) each, alternating; action on :${PUBLIC_PORT}, by hand on :${HAND_PORT}, via ${PROXY}; ` +
      `GitHub fake ${GITHUB_LATENCY} ms a request; drain-timeout ${DRAIN ?? 'default'}; node ${process.version}; ` +
      `${os.cpus().length} CPU(s), load ${os.loadavg()[0].toFixed(2)}`,
  );
  // First versions (not measured): each side has a live version to replace, the proxy exists.
  const first = await throughAction(0);
  console.log(`warm-up through the action: ${secs(first.doneMs)} (${stageLine(first.stages)})`);
  const firstHand = await byHand(0);
  console.log(`warm-up by hand: ${secs(firstHand.done)}`);

  const reps = [];
  for (let i = 1; i <= REPS; i++) {
    // Alternate which side goes first, so neither always finds a warmer engine.
    let a;
    let h;
    if (i % 2) {
      h = await byHand(i);
      a = await throughAction(i);
    } else {
      a = await throughAction(i);
      h = await byHand(i);
    }
    reps.push({ a, h });
    console.log(
      `rep ${i}: action ${secs(a.doneMs)} to exit, ${secs(a.answeredMs)} to answering (${stageLine(a.stages)}; ${a.requests.length} GitHub requests)` +
        `  |  by hand ${secs(h.done)} to old gone, ${secs(h.answered)} to answering (build ${h.built} ms, push ${h.pushed} ms, healthy ${h.healthy} ms, reload ${h.reloaded} ms)`,
    );
  }
  const aDone = median(reps.map((r) => r.a.doneMs));
  const aAns = median(reps.map((r) => r.a.answeredMs));
  const hDone = median(reps.map((r) => r.h.done));
  const hAns = median(reps.map((r) => r.h.answered));
  const stageNames = [...new Set(reps.flatMap((r) => r.a.stages.map((s) => s.name)))];
  console.log(
    `action stages (median): ${stageNames
      .map((n) => {
        const xs = reps
          .map((r) => r.a.stages.find((s) => s.name === n))
          .filter((s) => s && s.status !== 'skipped');
        return xs.length ? `${n} ${Math.round(median(xs.map((s) => s.durationMs)))} ms` : `${n} skipped`;
      })
      .join(', ')}`,
  );
  console.log(
    `by hand (median ms): built ${Math.round(median(reps.map((r) => r.h.built)))}, pushed ${Math.round(median(reps.map((r) => r.h.pushed)))}, ` +
      `healthy ${Math.round(median(reps.map((r) => r.h.healthy)))}, reloaded ${Math.round(median(reps.map((r) => r.h.reloaded)))}, ` +
      `answering ${Math.round(hAns)}, old gone ${Math.round(hDone)}`,
  );
  const counts = reps.map((r) => r.a.requests.length);
  console.log(`GitHub: ${counts.join(', ')} request(s) per push, at most ${github.maxInFlight} at a time`);
  const ratio = aDone / hDone;
  console.log(
    `push-to-live (dist/index.js): median ${secs(aDone)} to exit (${secs(aAns)} to the new page answering); ` +
      `by hand (docker build + push + swap): median ${secs(hDone)} (${secs(hAns)} answering); ` +
      `ratio ${ratio.toFixed(2)}× (answering: ${(aAns / hAns).toFixed(2)}×)`,
  );
  if (TRACE) {
    // One more push, not in the medians, with a preload noting each file of dist/ Node loads.
    const loadTrace = path.join(action.runDir, 'load-trace.json');
    const r = await throughAction(REPS + 1, {
      NODE_OPTIONS: `--require ${path.join(ROOT, '__tests__/helpers/load-trace.cjs')}`,
      SAFE_DEPLOY_LOAD_TRACE: loadTrace,
    });
    const loads = JSON.parse(fs.readFileSync(loadTrace, 'utf8'));
    console.log(
      `traced push (not in the medians): ${secs(r.doneMs)} to exit, ${secs(r.answeredMs)} to answering; ms since spawn:`,
    );
    const events = [
      { at: loads.ready - r.started, text: 'NODE   started, running JavaScript' },
      ...loads.files.map((f) => ({
        at: f.start - r.started,
        text: `LOAD   ${path.basename(f.file)} (${Math.round(f.ms)} ms)`,
      })),
      ...r.lines
        .filter((l) => !l.text.startsWith('::add-mask::'))
        .map((l) => ({ at: l.at, text: `LOG    ${l.text.slice(0, 120)}` })),
      ...r.requests.map((q) => ({ at: q.receivedAt - r.started, text: `GITHUB ${q.method} ${q.path}` })),
      { at: r.answeredMs, text: 'ANSWER the new page answers through the proxy' },
    ].sort((x, y) => x.at - y.at);
    for (const e of events) console.log(`  ${String(e.at).padStart(6)}  ${e.text}`);
  }
  console.log(`goal (<= ${GOAL_RATIO}× by hand): ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'}`);
} catch (err) {
  failed = true;
  console.error(`error: ${err.message}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
