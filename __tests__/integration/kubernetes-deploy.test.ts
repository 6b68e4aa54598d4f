import { runAction, uniqueRepo, type ActionRun } from '../helpers/action';
import { expectCode, stage } from '../helpers/deploy-app';
import {
  ADMIN,
  adminEnv,
  applyDeployment,
  createNamespace,
  deleteNamespace,
  k8sWorkspace,
  kubeInputs,
  kubectl,
  kubectlJson,
  liveDeployment,
  pushVersion,
  requireCluster,
  shown,
  waitRollout,
  type PushedVersion,
} from '../helpers/k8s';
import fs from 'node:fs';

// One namespace and one Deployment for the whole file: each test starts from what the one before
// left live, as a real app's history would.
const APP = 'web';
let ns: string;
const repo = uniqueRepo('k8s');
let v1: PushedVersion;
let v2: PushedVersion;
let broken: PushedVersion;
let crashing: PushedVersion;
let v3: PushedVersion;
let v4: PushedVersion;

beforeAll(async () => {
  requireCluster();
  ns = createNamespace('sd-deploy');
  // What the team had before safe-deploy: a Deployment running some image.
  const seed = await pushVersion(repo, 'healthy');
  [v1, v2, broken, crashing, v3] = [
    await pushVersion(repo, 'healthy'),
    await pushVersion(repo, 'healthy'),
    await pushVersion(repo, 'unhealthy'),
    await pushVersion(repo, 'crash'),
    await pushVersion(repo, 'healthy'),
  ];
  v4 = await pushVersion(repo, 'healthy');
  applyDeployment(ns, { name: APP, image: seed.tag });
  waitRollout(ns, APP);
}, 240_000);

afterAll(() => deleteNamespace(ns));

// scripts/test.sh installs Node 24 (the runtime action.yml declares) and names it here.
const NODE24 = process.env.SAFE_DEPLOY_NODE24 ?? '';

const deploy = (
  v: PushedVersion,
  extra: Record<string, string> = {},
  env = adminEnv(),
  node?: string,
): Promise<ActionRun> =>
  runAction({
    cwd: k8sWorkspace(),
    sha: v.sha,
    env,
    node,
    inputs: kubeInputs(ns, APP, repo, extra),
    timeoutMs: 180_000,
  });

test('first deploy: the image is set by digest with the annotations, and the rollout is waited for', async () => {
  const before = liveDeployment(ns, APP);
  const run = await deploy(v1);
  expectCode(run, 0);
  expect(run.outputs.result).toBe('deployed');
  expect(run.outputs['image-ref']).toBe(v1.ref);
  const live = liveDeployment(ns, APP);
  expect(live.image).toBe(v1.ref);
  expect(live.available).toBe(2);
  expect(live.revision).toBe(before.revision + 1);
  expect(live.annotations).toMatchObject({
    'dev.safe-deploy/sha': v1.sha,
    'dev.safe-deploy/image-ref': v1.ref,
    'dev.safe-deploy/run-url': 'https://github.com/acme/hello-app/actions/runs/1001',
    'kubernetes.io/change-cause': expect.stringContaining(`safe-deploy: ${v1.sha.slice(0, 7)}`),
  });
  expect(live.annotations['dev.safe-deploy/deployed-at']).toMatch(/^\d{4}-\d\d-\d\dT/);
  expect(run.stdout).toMatch(/Rollout: \d\/2 updated, \d available/);
  expect(run.summary).toContain('### Rollout');
  expect(run.summary).toContain(`| Revision | ${before.revision} → ${live.revision} |`);
  expect(run.summary).toMatch(/Time to available/);
});

test('second deploy: previous-sha is the first, and kubectl rollout undo is offered with its revision', async () => {
  const before = liveDeployment(ns, APP);
  const run = await deploy(v2);
  expectCode(run, 0);
  expect(run.outputs.result).toBe('deployed');
  expect(run.outputs['previous-sha']).toBe(v1.sha);
  expect(liveDeployment(ns, APP).image).toBe(v2.ref);
  expect(run.summary).toContain(
    `kubectl rollout undo deployment/${APP} -n ${ns} --to-revision=${before.revision}`,
  );
  expect(run.summary).toContain(`rollback-to: ${v1.sha}`);
});

test('a version that never becomes ready is undone: the previous one is available again', async () => {
  const before = liveDeployment(ns, APP);
  const run = await deploy(broken, { 'rollout-timeout': '12s' });
  expectCode(run, 1);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs['auto-rolled-back']).toBe('true');
  expect(stage(run, 'deploy')?.detail).toMatch(
    /rollout-timeout \(12s\) passed.*NotReady.*rolled back automatically to revision/,
  );
  expect(run.summary).toMatch(/\| `NotReady` \| running but not ready \(readiness probe\)/);
  const live = liveDeployment(ns, APP);
  expect(live.image).toBe(v2.ref);
  expect(live.annotations['dev.safe-deploy/sha']).toBe(v2.sha);
  expect(live.available).toBe(2);
  // The old ReplicaSet scaled back up: no new one was made for the undo.
  expect(live.replicaSets).toBe(before.replicaSets + 1);
  // The failed one is marked: that commit never served, so it is no version to roll back to.
  const sets = kubectlJson<{ items: { metadata: { annotations: Record<string, string> } }[] }>([
    'get',
    'replicasets',
    '-n',
    ns,
  ]);
  const failed = sets.items.find((rs) => rs.metadata.annotations['dev.safe-deploy/sha'] === broken.sha);
  expect(failed?.metadata.annotations['dev.safe-deploy/rollout-failed']).toMatch(/rollout-timeout/);
});

test('a crash-looping version: CrashLoopBackOff and the last exit code in the summary, undone', async () => {
  const run = await deploy(crashing, { 'rollout-timeout': '25s' });
  expectCode(run, 1);
  expect(run.outputs['auto-rolled-back']).toBe('true');
  expect(run.summary).toMatch(/`(CrashLoopBackOff|Error)`/);
  expect(run.summary).toMatch(/exit(ed with)? code 3/);
  expect(liveDeployment(ns, APP).image).toBe(v2.ref);
});

test('ProgressDeadlineExceeded fails the rollout before rollout-timeout, and it is undone', async () => {
  kubectl(['patch', 'deployment', APP, '-n', ns, '-p', '{"spec":{"progressDeadlineSeconds":4}}']);
  waitRollout(ns, APP);
  try {
    const run = await deploy(broken, { 'rollout-timeout': '90s' });
    expectCode(run, 1);
    expect(stage(run, 'deploy')?.detail).toMatch(/exceeded its progress deadline .*ProgressDeadlineExceeded/);
    // broken failed before: trying it again is a new attempt (a patch), not a rollback to it.
    expect(run.summary).not.toContain('| Rollback | yes');
    expect(run.summary).toContain(`| Change | image set to \`${broken.ref}\` |`);
    expect(run.outputs['auto-rolled-back']).toBe('true');
    expect(liveDeployment(ns, APP).image).toBe(v2.ref);
  } finally {
    kubectl(['patch', 'deployment', APP, '-n', ns, '-p', '{"spec":{"progressDeadlineSeconds":600}}']);
    waitRollout(ns, APP);
  }
});

test('verify fails after a good rollout: undone to the previous revision', async () => {
  const run = await deploy(v3, { 'smoke-command': 'echo "checkout is broken"; exit 1' });
  expectCode(run, 1);
  expect(stage(run, 'deploy')?.status).toBe('passed');
  expect(stage(run, 'verify')?.detail).toMatch(
    /smoke-command exited with code 1; rolled back automatically to/,
  );
  expect(run.outputs['auto-rolled-back']).toBe('true');
  const live = liveDeployment(ns, APP);
  expect(live.image).toBe(v2.ref);
  expect(live.available).toBe(2);
});

test('re-running the first run puts v1 back by undo (its ReplicaSet scales up), reported as a rollback', async () => {
  const before = liveDeployment(ns, APP);
  const run = await deploy(v1);
  expectCode(run, 0);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs.rollback).toBe('true');
  expect(run.outputs['build-skipped']).toBe('true');
  expect(run.summary).toContain('undo to an earlier revision');
  const live = liveDeployment(ns, APP);
  expect(live.image).toBe(v1.ref);
  expect(live.annotations['dev.safe-deploy/sha']).toBe(v1.sha);
  expect(live.replicaSets).toBe(before.replicaSets);
});

test('rollback-to a short SHA resolves against the ReplicaSet history', async () => {
  const run = await runAction({
    cwd: k8sWorkspace(),
    env: adminEnv(),
    inputs: kubeInputs(ns, APP, repo, { 'rollback-to': v2.sha.slice(0, 9) }),
    timeoutMs: 180_000,
  });
  expectCode(run, 0);
  expect(run.outputs.result).toBe('rolled-back');
  expect(run.outputs.sha).toBe(v2.sha);
  expect(liveDeployment(ns, APP).image).toBe(v2.ref);
});

test('dry run: a server-side dry run of the patch, the plan in the summary, nothing changed', async () => {
  const before = liveDeployment(ns, APP);
  const run = await deploy(v4, { 'dry-run': 'true' });
  expectCode(run, 0);
  expect(run.outputs.result).toBe('planned');
  expect(run.summary).toContain(`container ${APP} image ${v2.ref} → ${v4.ref}`);
  expect(run.summary).toContain(
    'replicas: 2 (2 available now); strategy: RollingUpdate (maxSurge 1, maxUnavailable 0)',
  );
  expect(run.summary).toContain('accepted by the API server (dryRun=All)');
  expect(liveDeployment(ns, APP)).toEqual(before);
});

test('under Node 24, the kubeconfig input (base64) works, and neither it nor its token or key is ever shown', async () => {
  expect(NODE24).not.toBe('');
  const text = fs.readFileSync(ADMIN, 'utf8');
  const creds = [...text.matchAll(/(?:token|client-key-data):\s*(\S+)/g)].map((m) => m[1]!);
  expect(creds.length).toBeGreaterThan(0);
  const b64 = Buffer.from(text).toString('base64');
  const run = await deploy(v3, { kubeconfig: b64 }, {}, NODE24);
  expectCode(run, 0);
  expect(liveDeployment(ns, APP).image).toBe(v3.ref);
  const out = shown(run);
  for (const secret of [b64, text.trim(), ...creds]) expect(out).not.toContain(secret);
  // And a failure that quotes the API server's words shows none of them either.
  const bad = await deploy(v3, { kubeconfig: b64, 'kube-container': 'nope' }, {}, NODE24);
  expectCode(bad, 1);
  for (const secret of [b64, ...creds]) expect(shown(bad)).not.toContain(secret);
});

test('someone else changes the Deployment during the rollout: the run fails saying so and leaves their change alone', async () => {
  let changed = false;
  const run = await runAction({
    cwd: k8sWorkspace(),
    sha: broken.sha,
    env: adminEnv(),
    inputs: kubeInputs(ns, APP, repo, { 'rollout-timeout': '60s' }),
    timeoutMs: 120_000,
    onSpawn: (child) =>
      child.stdout?.on('data', (d: Buffer) => {
        if (changed || !d.toString().includes('Rollout:')) return;
        changed = true;
        // A colleague's kubectl, mid-rollout: a template change, so a new generation.
        kubectl(['set', 'env', `deployment/${APP}`, '-n', ns, 'HOTFIX=1']);
      }),
  });
  expectCode(run, 1);
  expect(changed).toBe(true);
  expect(stage(run, 'deploy')?.detail).toMatch(
    /someone else changed deployment "web" while the rollout ran \(generation \d+ → \d+\); what is live now is theirs/,
  );
  expect(run.outputs['auto-rolled-back']).toBe('false');
  const env = kubectlJson<{ spec: { template: { spec: { containers: { env?: { name: string }[] }[] } } } }>([
    'get',
    'deployment',
    APP,
    '-n',
    ns,
  ]).spec.template.spec.containers[0]!.env;
  expect(env?.map((e) => e.name)).toContain('HOTFIX');
});
