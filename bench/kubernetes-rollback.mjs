#!/usr/bin/env node
// Kubernetes rollback bench: a rollback by re-run through the bundled action (`node dist/index.js`,
// as the GitHub runner runs it, deploy-to: kubernetes) next to the same rollback by hand with
// `kubectl rollout undo` + `kubectl rollout status`, against the same test control plane, in one run.
//
// Setup: a fresh namespace with a Deployment (2 replicas, readiness on /health every second);
// versions A and B of examples/hello-app, built and pushed by the docker CLI, deployed through dist.
// Then, per repetition, with X live and Y the revision before it, both ways run once, in an order
// that alternates between repetitions:
//   hand    `kubectl rollout undo deployment/<app> -n <ns>` then `kubectl rollout status …`: the
//           time from the first spawn until status exits 0 (Y's ReplicaSet available).
//   action  re-run of Y's run (same sha, GITHUB_RUN_ATTEMPT=2): spawn until the process exits, which
//           it does only after the rollout is available and the report is written.
// Each one flips which version is live, so every measured run is a real rollback to the revision
// before. Medians are reported with the ratio. Only 127.0.0.1 is contacted.
//
// --trace: one more re-run rollback after the repetitions (not in the medians), through the preload
// __tests__/helpers/load-trace.cjs, printed as a timeline in ms since the spawn: Node handing over,
// each dist/ file loaded, each HTTP request (when the preload records them), each log line, exit.
//
// Usage: bash scripts/services.sh && node bench/kubernetes-rollback.mjs [--reps 5] [--ready-after 0]
//        [--keep] [--trace]
// Exits 1 on errors (a rollback that did not end as expected), not on slow figures.
import { execFile, execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { benchDirs, ROOT, runAction } from './lib/action.mjs';

const K8S_DIR = process.env.SAFE_DEPLOY_K8S_DIR ?? '/tmp/safe-deploy-services/k8s';
const KUBECONFIG = path.join(K8S_DIR, 'admin.kubeconfig');
const REGISTRY = '127.0.0.1:5000';
const IMAGE = `${REGISTRY}/bench-k8s-rollback`;
const APP = 'bench-rb';
const GOAL_RATIO = 1.5;
const DOCKER = fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : 'docker';

const args = process.argv.slice(2);
const argAt = (name) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const REPS = Number(argAt('reps') ?? 5);
const KEEP = args.includes('--keep');
const TRACE = args.includes('--trace');
// --ready-after N: the app's readiness probe starts N seconds after a container starts
// (initialDelaySeconds), as a real app's start-up would; 0 (default) is the stand-in's fastest.
const READY_AFTER = Number(argAt('ready-after') ?? 0);
if (!Number.isInteger(REPS) || REPS < 1) {
  console.error('usage: node bench/kubernetes-rollback.mjs [--reps N] [--keep]');
  process.exit(2);
}
if (!fs.existsSync(path.join(K8S_DIR, 'ready'))) {
  console.error(
    `The test control plane is not running (${K8S_DIR}/ready is missing): bash scripts/services.sh`,
  );
  process.exit(1);
}

const secs = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const nonce = crypto.randomBytes(3).toString('hex');
const NS = `bench-k8s-${nonce}`;
const { runDir, workspace } = benchDirs('sd-bench-k8s-');

const kubectlSync = (argv, input) =>
  execFileSync('kubectl', ['--kubeconfig', KUBECONFIG, ...argv], { encoding: 'utf8', input }).trim();
const kubectl = (argv) =>
  new Promise((resolve, reject) =>
    execFile('kubectl', ['--kubeconfig', KUBECONFIG, ...argv], { encoding: 'utf8' }, (err, out, stderr) =>
      err ? reject(new Error(`kubectl ${argv.join(' ')}: ${stderr || err.message}`)) : resolve(out.trim()),
    ),
  );
const liveSha = () =>
  kubectlSync([
    'get',
    'deployment',
    APP,
    '-n',
    NS,
    '-o',
    'jsonpath={.metadata.annotations.dev\\.safe-deploy/sha}',
  ]);

const versions = ['A', 'B'].map((name, i) => ({
  name,
  sha: crypto.randomBytes(20).toString('hex'),
  runId: String(3001 + i),
}));

function buildAndPush(v) {
  const tag = `${IMAGE}:${v.sha}`;
  execFileSync(DOCKER, ['build', '-q', '-t', tag, '--build-arg', `VERSION=${v.name}`, workspace], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
  });
  execFileSync(DOCKER, ['push', '-q', tag]);
  return tag;
}

async function action(v, attempt, env = {}) {
  const run = await runAction({
    runDir,
    workspace,
    label: `${v.name}-${attempt}`,
    sha: v.sha,
    runId: v.runId,
    attempt,
    env: { KUBECONFIG, ...env },
    inputs: {
      image: IMAGE,
      'deploy-to': 'kubernetes',
      app: APP,
      'kube-namespace': NS,
      'rollout-timeout': '120s',
    },
  });
  if (run.code !== 0) {
    const log = run.lines.map((l) => l.text).join('\n');
    throw new Error(`the action run for ${v.name} exited ${run.code}:\n${log.slice(-3000)}`);
  }
  return run;
}

async function byHand() {
  const started = Date.now();
  await kubectl(['rollout', 'undo', `deployment/${APP}`, '-n', NS]);
  await kubectl(['rollout', 'status', `deployment/${APP}`, '-n', NS, '--timeout=120s']);
  return Date.now() - started;
}

async function main() {
  console.log(`namespace ${NS}; building and pushing A and B…`);
  const tags = versions.map(buildAndPush);
  kubectlSync(['create', 'namespace', NS]);
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: APP, namespace: NS },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: APP } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: APP } },
        spec: {
          terminationGracePeriodSeconds: 2,
          containers: [
            {
              name: APP,
              image: tags[0],
              readinessProbe: {
                httpGet: { path: '/health', port: 3000 },
                initialDelaySeconds: READY_AFTER,
                periodSeconds: 1,
                failureThreshold: 1,
              },
            },
          ],
        },
      },
    },
  };
  kubectlSync(['apply', '-f', '-'], JSON.stringify(deployment));
  kubectlSync(['rollout', 'status', `deployment/${APP}`, '-n', NS, '--timeout=120s']);
  for (const v of versions) await action(v, 1);
  if (liveSha() !== versions[1].sha) throw new Error('B is not live after the setup deploys');

  const hand = [];
  const viaAction = [];
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? ['action', 'hand'] : ['hand', 'action'];
    for (const way of order) {
      const live = liveSha();
      const back = versions.find((v) => v.sha !== live);
      if (way === 'hand') {
        const ms = await byHand();
        if (liveSha() !== back.sha) throw new Error(`kubectl rollout undo did not put ${back.name} back`);
        hand.push(ms);
        console.log(`rep ${rep + 1} hand    ${secs(ms)} (undo to ${back.name})`);
      } else {
        const run = await action(back, 2 + rep);
        if (run.outputs.result !== 'rolled-back' || liveSha() !== back.sha)
          throw new Error(`the re-run of ${back.name} did not roll back (result ${run.outputs.result})`);
        const ms = run.ended - run.started;
        viaAction.push(ms);
        console.log(`rep ${rep + 1} action  ${secs(ms)} (re-run of ${back.name})`);
      }
    }
  }
  const h = median(hand);
  const a = median(viaAction);
  console.log('');
  console.log(`readiness after ${READY_AFTER} s; median of ${REPS}`);
  console.log(`kubectl undo + status    ${secs(h)}`);
  console.log(`re-run through dist/     ${secs(a)}`);
  console.log(
    `ratio                    ${(a / h).toFixed(2)}x  (goal <= ${GOAL_RATIO}x: ${a / h <= GOAL_RATIO ? 'met' : 'NOT met'})`,
  );
  if (TRACE) await traced(REPS + 2);
}

/** One more re-run rollback through the load-trace preload, printed as a timeline (ms since spawn). */
async function traced(attempt) {
  const traceFile = path.join(runDir, 'trace.json');
  const back = versions.find((v) => v.sha !== liveSha());
  const run = await action(back, attempt, {
    NODE_OPTIONS: `--require ${path.join(ROOT, '__tests__/helpers/load-trace.cjs')}`,
    SAFE_DEPLOY_LOAD_TRACE: traceFile,
  });
  const t = JSON.parse(fs.readFileSync(traceFile, 'utf8'));
  const at = (ms) => String(ms - run.started).padStart(6);
  const events = [
    [t.ready, 'Node started, preload ran'],
    ...t.files.map((f) => [f.start, `${path.basename(f.file)} loaded in ${f.ms.toFixed(1)} ms`]),
    ...(t.requests ?? []).map((r) => [
      r.start,
      `${r.method} ${r.path} → ${r.status ?? '?'}${r.headers ? ` in ${r.headers - r.start} ms` : ''}`,
    ]),
    ...run.lines.map((l) => [l.time, `| ${l.text.slice(0, 110)}`]),
    [t.exit, 'process exit'],
  ].sort((a, b) => a[0] - b[0]);
  console.log(
    `\ntraced re-run of ${back.name} (not in the medians): ${secs(run.ended - run.started)}; ms since spawn:`,
  );
  for (const [time, what] of events) console.log(`${at(time)}  ${what}`);
}

main()
  .catch((err) => {
    console.error(err.message);
    process.exitCode = 1;
  })
  .finally(() => {
    if (!KEEP) {
      try {
        kubectlSync(['delete', 'namespace', NS, '--wait=false']);
      } catch {
        // the bench failed before creating it
      }
      fs.rmSync(runDir, { recursive: true, force: true });
    }
  });
