#!/usr/bin/env node
// Cold-build bench: a fresh runner (no local image, no build cache for the app) building the next
// commit of an app whose dependency install is slow, after a one-line source change.
//
// The app is examples/hello-app with a dependency step standing in for `npm ci` (a sleep and a
// 20 MB file, after COPYing the "lockfile"), then the source COPY. Setup builds and pushes the
// parent commit P through dist/ (build-cache registry: inline cache metadata), then changes one
// line of www/index.html. Then, per repetition, each mode starts from a cold engine (the bench
// app's local images and its BuildKit cache records removed, nobody else's) and builds the child:
//   none      dist/index.js, build-cache: none
//   registry  dist/index.js, build-cache: registry (cache from <image>:<P>, found via the push
//             event's `before`)
//   hand      DOCKER_BUILDKIT=1 /usr/bin/docker build --cache-from <image>:<P> (Debian's 20.10
//             CLI; the 28.x CLI refuses BuildKit without buildx)
// The action runs with push: false, so all three do the same work: build, no push. Times are wall
// clock of the whole process (node start, registry lookups, build). Medians are printed side by
// side with ratios. Only 127.0.0.1 is contacted.
//
// --trace: one more registry build after the repetitions (not in the medians), through a preload
// (__tests__/helpers/load-trace.cjs), printed as a timeline in ms since the spawn: Node handing
// over, each file of dist/ loaded, each engine request (sent → headers → body end), git, each log
// line. Where the time before the build goes.
//
// Usage: bash scripts/services.sh && npm run -s build && node bench/cold-build.mjs [--reps 3] [--trace]
//   (or bash bench/cold-build.sh [options])
// Exits 1 when a build fails or a mode did not do what it claims (cached steps), not on slow
// figures; prints whether the goals (registry >= 3x faster than none, <= 1.2x hand) are met.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { benchDirs, ROOT, runAction } from './lib/action.mjs';
import { forgetBuild } from './lib/build-cache.mjs';

const REGISTRY = '127.0.0.1:5000';
const DOCKER_20 = '/usr/bin/docker';
const GOAL_VS_NONE = 3;
const GOAL_VS_HAND = 1.2;

const args = process.argv.slice(2);
const argAt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const REPS = Number(argAt('reps') ?? 3);
const TRACE = args.includes('--trace');
if (!Number.isInteger(REPS) || REPS < 1) {
  console.error('usage: node bench/cold-build.mjs [--reps N] [--trace]');
  process.exit(2);
}

const token = crypto.randomBytes(4).toString('hex');
const IMAGE = `${REGISTRY}/bench-cold-${token}`;
const randomSha = () => crypto.randomBytes(20).toString('hex');

function run(cmd, argv, opts = {}) {
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { maxBuffer: 64 * 1024 * 1024, ...opts }, (err, stdout, stderr) =>
      err
        ? reject(new Error(`${cmd} ${argv.join(' ')}: ${stderr || err.message}`))
        : resolve({ stdout, stderr }),
    );
  });
}

const since = new Date();
const forget = () => forgetBuild(IMAGE, token, since);

const { runDir, workspace } = benchDirs('sd-bench-cold-');
// Every step names the token, so forget() finds this bench's cache records and no others.
fs.writeFileSync(path.join(workspace, 'deps.lock'), `left-pad 1.3.0 ${token}\n`);
fs.writeFileSync(
  path.join(workspace, 'Dockerfile'),
  [
    'FROM safe-deploy-test/busybox:latest',
    `COPY deps.lock /deps-${token}/deps.lock`,
    `RUN echo "installing dependencies (${token})" && sleep 6 && head -c 20000000 /dev/urandom > /deps-${token}/modules.bin`,
    `COPY www /www-${token}`,
    `RUN ln -s /www-${token} /www && echo bench > /www-${token}/version`,
    'CMD ["httpd", "-f", "-p", "3000", "-h", "/www"]',
    '',
  ].join('\n'),
);

async function spawnAction(label, sha, inputs, before, env = {}) {
  const event = path.join(runDir, `event-${label}.json`);
  fs.writeFileSync(event, JSON.stringify({ before, repository: { default_branch: 'main' } }));
  return runAction({ runDir, workspace, label, sha, inputs, env: { GITHUB_EVENT_PATH: event, ...env } });
}

/** The action with nothing to do (no image): node start, bundle load, inputs, report. */
async function floor(label) {
  const r = await spawnAction(label, randomSha(), {}, undefined);
  if (r.code !== 0) throw new Error(`${label}: the action exited ${r.code}`);
  return (r.ended - r.started) / 1000;
}

async function action(label, sha, inputs, before, env) {
  const r = await spawnAction(label, sha, { image: IMAGE, ...inputs }, before, env);
  const text = r.lines.map((l) => l.text).join('\n');
  // Seconds since the spawn before each line: where the time went.
  fs.writeFileSync(
    r.logFile,
    r.lines.map((l) => `${((l.time - r.started) / 1000).toFixed(2)} ${l.text}`).join('\n'),
  );
  if (r.code !== 0) throw new Error(`${label}: the action exited ${r.code}; log: ${r.logFile}`);
  const built = /Built with BuildKit, (\d+) of (\d+) steps cached/.exec(text);
  if (!built) throw new Error(`${label}: no "Built with BuildKit" line; log: ${r.logFile}`);
  return {
    seconds: (r.ended - r.started) / 1000,
    cached: Number(built[1]),
    steps: Number(built[2]),
    started: r.started,
    lines: r.lines,
  };
}

/** One registry build through the load-trace preload, printed as a timeline (ms since the spawn). */
async function traced(parent) {
  const traceFile = path.join(runDir, 'trace.json');
  await forget();
  const r = await action(
    'registry-traced',
    randomSha(),
    { 'build-cache': 'registry', push: 'false' },
    parent,
    {
      NODE_OPTIONS: `--require ${path.join(ROOT, '__tests__/helpers/load-trace.cjs')}`,
      SAFE_DEPLOY_LOAD_TRACE: traceFile,
    },
  );
  const t = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
  const at = (ms) => ms - r.started;
  const events = [
    { at: at(t.ready), text: 'NODE   started, running JavaScript' },
    ...t.files.map((f) => ({
      at: at(f.start),
      text: `LOAD   ${path.basename(f.file)} (${f.ms.toFixed(0)} ms)`,
    })),
    ...t.execs.map((e) => ({ at: at(e.start), text: `EXEC   ${e.file} ${e.args.join(' ')} (${e.ms} ms)` })),
    ...t.requests.map((q) => ({
      at: at(q.start),
      text: `ENGINE ${q.method} ${q.path.slice(0, 90)}${q.headers ? ` → ${q.status} at +${q.headers - q.start} ms` : ' (upgraded or unanswered)'}${q.end && q.end - q.headers > 5 ? `, body ended at +${q.end - q.start} ms` : ''}`,
    })),
    ...r.lines
      .filter((l) => !l.text.startsWith('::add-mask::'))
      .map((l) => ({ at: at(l.time), text: `LOG    ${l.text.slice(0, 110)}` })),
    { at: at(t.exit), text: 'EXIT' },
  ].sort((x, y) => x.at - y.at);
  console.log(`\ntraced registry build (not in the medians): ${r.seconds.toFixed(2)}s; ms since spawn:`);
  for (const e of events) console.log(`  ${String(e.at).padStart(6)}  ${e.text}`);
}

async function hand(parent, n) {
  const started = Date.now();
  const { stderr } = await run(
    DOCKER_20,
    [
      'build',
      '--progress',
      'plain',
      '--network',
      'host',
      '--cache-from',
      `${IMAGE}:${parent}`,
      '-t',
      `${IMAGE}:hand-${n}`,
      workspace,
    ],
    { env: { ...process.env, DOCKER_BUILDKIT: '1', DOCKER_API_VERSION: '1.41' } },
  );
  const seconds = (Date.now() - started) / 1000;
  fs.writeFileSync(path.join(runDir, `hand-${n}.log`), stderr);
  // The CLI's plain progress: "#7 CACHED" under each cached step.
  const cached = (stderr.match(/^#\d+ CACHED$/gm) ?? []).length;
  return { seconds, cached };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  console.log(`cold-build bench: ${IMAGE}, ${REPS} repetition(s), files in ${runDir}`);
  const parent = randomSha();
  await forget();
  const setup = await action('parent', parent, {}, undefined);
  console.log(`parent ${parent.slice(0, 7)} built and pushed through dist in ${setup.seconds.toFixed(1)}s`);
  fs.appendFileSync(path.join(workspace, 'www/index.html'), `<!-- one-line change ${token} -->\n`);

  const times = { none: [], registry: [], hand: [], floor: [] };
  for (let i = 1; i <= REPS; i++) {
    await forget();
    const none = await action(`none-${i}`, randomSha(), { 'build-cache': 'none', push: 'false' }, parent);
    if (none.cached !== 0)
      throw new Error(`none-${i}: ${none.cached} steps cached on a cold engine: not cold`);
    times.none.push(none.seconds);

    await forget();
    const reg = await action(
      `registry-${i}`,
      randomSha(),
      { 'build-cache': 'registry', push: 'false' },
      parent,
    );
    if (reg.cached < 2) throw new Error(`registry-${i}: only ${reg.cached} of ${reg.steps} steps cached`);
    times.registry.push(reg.seconds);

    await forget();
    const h = await hand(parent, i);
    times.hand.push(h.seconds);
    times.floor.push(await floor(`floor-${i}`));
    console.log(
      `rep ${i}: none ${none.seconds.toFixed(2)}s (0/${none.steps} cached) · registry ${reg.seconds.toFixed(2)}s (${reg.cached}/${reg.steps} cached) · hand ${h.seconds.toFixed(2)}s (${h.cached} CACHED lines)`,
    );
  }
  await forget();
  if (TRACE) await traced(parent);

  const m = {
    none: median(times.none),
    registry: median(times.registry),
    hand: median(times.hand),
    floor: median(times.floor),
  };
  const pad = (s, n) => String(s).padEnd(n);
  const W = 38;
  console.log('\nmedian wall time, cold engine, one-line change after a slow dependency step');
  console.log(`${pad('mode', W)}${pad('seconds', 10)}vs none   vs hand`);
  const rows = [
    ['dist, build-cache: none', m.none],
    ['dist, build-cache: registry', m.registry],
    ['by hand, docker build --cache-from', m.hand],
  ];
  for (const [name, s] of rows)
    console.log(
      `${pad(name, W)}${pad(s.toFixed(2), 10)}${pad(`${(s / m.none).toFixed(2)}x`, 10)}${(s / m.hand).toFixed(2)}x`,
    );
  console.log(
    `${pad('dist, no image (startup floor)', W)}${pad(m.floor.toFixed(2), 10)}${pad(`${(m.floor / m.none).toFixed(2)}x`, 10)}${(m.floor / m.hand).toFixed(2)}x`,
  );
  console.log(
    `registry minus the floor: ${(m.registry - m.floor).toFixed(2)}s, ${((m.registry - m.floor) / m.hand).toFixed(2)}x the hand build`,
  );
  const speedup = m.none / m.registry;
  const vsHand = m.registry / m.hand;
  console.log(
    `\ngoal registry >= ${GOAL_VS_NONE}x faster than none: ${speedup.toFixed(2)}x ${speedup >= GOAL_VS_NONE ? 'MET' : 'NOT MET'}`,
  );
  console.log(
    `goal registry <= ${GOAL_VS_HAND}x the hand build: ${vsHand.toFixed(2)}x ${vsHand <= GOAL_VS_HAND ? 'MET' : 'NOT MET'}`,
  );
} catch (err) {
  console.error(`bench failed: ${err.message}`);
  await forget().catch(() => {});
  process.exit(1);
}
