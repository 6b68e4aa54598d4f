import fs from 'node:fs';
import path from 'node:path';
import {
  randomSha,
  REGISTRY,
  runAction,
  visibleLog,
  type ActionRun,
  type RunOptions,
} from '../helpers/action';
import {
  appTarget,
  appWorkspace,
  docker,
  dockerDeployInputs,
  expectCode,
  live,
  reloadProxy,
  removeApp,
  RUN,
  serving,
  short,
  stage,
  stages,
  portBlock,
  type AppTarget,
} from '../helpers/deploy-app';
import { containersOf, containersOfSha, fetchText } from '../helpers/docker-app';

// The deploy and verify stages end to end: dist/index.js as the runner starts it builds the example
// app from its workspace, pushes it to the local registry and deploys it with `deploy-to: docker` on
// the host network, behind the real default proxy `safe-deploy-proxy` (its Caddy admin a Unix socket inside it,
// shared with every other user of this Docker host: left running). Each test has its own app name
// and public port; its containers, lock and site file are removed afterwards.

const ENV = 'production';
// A random block of ten public ports in 19000-19999 per run, one port per test.
const nextPort = portBlock(19000, 100);
const cleanup: string[] = [];

function target(name: string): AppTarget {
  const app = `sds-${name}-${RUN}`;
  cleanup.push(app);
  return appTarget(app, nextPort(), `stage-${name}`);
}

type Kind = 'healthy' | 'unhealthy' | 'crash';

interface Deployed extends ActionRun {
  sha: string;
  label: string;
}

interface DeployOptions {
  kind?: Kind;
  inputs?: Record<string, string>;
  onSpawn?: RunOptions['onSpawn'];
}

/** A fresh checkout of the example app whose page and /version say `label`, in one of three flavours. */
function workspace(label: string, kind: Kind): string {
  const ws = appWorkspace(label);
  if (kind === 'unhealthy') fs.rmSync(path.join(ws, 'www/health'));
  if (kind === 'crash') {
    const file = path.join(ws, 'Dockerfile');
    const text = fs.readFileSync(file, 'utf8').replace(/^CMD .*$/m, `CMD ["sh", "-c", "echo boom; exit 3"]`);
    fs.writeFileSync(file, text);
  }
  return ws;
}

/** One run of the action: build `label` from a fresh workspace, push it, deploy it as t.app. */
async function deploy(t: AppTarget, label: string, o: DeployOptions = {}): Promise<Deployed> {
  const sha = randomSha();
  const run = await runAction({
    cwd: workspace(label, o.kind ?? 'healthy'),
    sha,
    onSpawn: o.onSpawn,
    inputs: { ...dockerDeployInputs(t, label), ...o.inputs },
  });
  return { ...run, sha, label };
}

async function lockExists(app: string): Promise<boolean> {
  return docker
    .getContainer(`safe-deploy-lock-${app}-${ENV}`)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

afterEach(async () => {
  for (const app of cleanup.splice(0)) await removeApp(app, ENV);
});

afterAll(reloadProxy);

test('first deploy: result deployed, the url answers through the proxy, nothing was live before', async () => {
  const t = target('first');
  const run = await deploy(t, 'v1');
  expectCode(run, 0);
  expect(run.outputs).toMatchObject({
    result: 'deployed',
    sha: run.sha,
    'previous-sha': '',
    'previous-image': '',
    'auto-rolled-back': 'false',
    url: t.base,
  });
  expect(run.outputs['image-ref']).toMatch(new RegExp(`^${REGISTRY}/${t.repo}@sha256:[0-9a-f]{64}$`));
  expect(stages(run).map((s) => [s.name, s.status])).toEqual([
    ['gate', 'skipped'],
    ['build', 'passed'],
    ['migrate', 'skipped'],
    ['deploy', 'passed'],
    ['verify', 'skipped'],
  ]);
  expect(stage(run, 'deploy')?.detail).toContain(`${short(run.sha)} is live`);
  expect(await live(t)).toEqual(serving('v1'));
  expect((await fetchText(`${run.outputs.url}/health`)).status).toBe(200);
  // One running container, labelled with the commit, restarting on its own from now on.
  const list = await containersOf(docker, t.app);
  expect(list).toEqual([{ name: `${t.app}-${short(run.sha)}-1`, state: 'running' }]);
  const info = await docker.getContainer(`${t.app}-${short(run.sha)}-1`).inspect();
  expect(info.Config.Labels).toMatchObject({
    'safe-deploy.app': t.app,
    'safe-deploy.environment': ENV,
    'safe-deploy.sha': run.sha,
  });
  expect(info.Config.Image).toBe(run.outputs['image-ref']);
  expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
  expect(await lockExists(t.app)).toBe(false);
  expect(run.summary).toContain('✅ Deployed to production');
  expect(run.summary).toMatch(/^### Deploy/m);
  expect(run.summary).toContain('| Live before | nothing |');
  expect(run.summary).toContain(`| Live after | \`${short(run.sha)}\` (${t.app}-${short(run.sha)}-1) |`);
  expect(run.summary).not.toContain('Roll back'); // nothing to go back to
  expect(run.summary).toContain(short(run.sha));
  expect(run.summary).toContain(t.base);
});

test('second deploy swaps: the public port serves the new version, previous-* name the first', async () => {
  const t = target('swap');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const second = await deploy(t, 'v2');
  expectCode(second, 0);
  expect(second.outputs).toMatchObject({
    result: 'deployed',
    'previous-sha': first.sha,
    'previous-image': first.outputs['image-ref'],
    'auto-rolled-back': 'false',
  });
  expect(await live(t)).toEqual(serving('v2'));
  // The old container is stopped, not removed: it is the instant rollback target.
  expect(await containersOf(docker, t.app)).toEqual(
    expect.arrayContaining([
      { name: `${t.app}-${short(second.sha)}-1`, state: 'running' },
      { name: `${t.app}-${short(first.sha)}-1`, state: 'exited' },
    ]),
  );
  expect((await containersOf(docker, t.app)).length).toBe(2);
  // The summary: live before → after, and how to get the first version back (the run that deployed it).
  const s = second.summary;
  expect(s).toMatch(/^### Deploy/m);
  expect(s).toContain(`| Live before | \`${short(first.sha)}\` (${t.app}-${short(first.sha)}-1) |`);
  expect(s).toContain(`| Live after | \`${short(second.sha)}\` (${t.app}-${short(second.sha)}-1) |`);
  expect(s).toMatch(
    new RegExp(`Roll back\\*\\* to \`${short(first.sha)}\` in ${ENV}: re-run .*actions/runs/1001`),
  );
});

test('an unhealthy new version fails the deploy with the probe status and its logs; the old one keeps serving', async () => {
  const t = target('unhealthy');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const bad = await deploy(t, 'v2-no-health', { kind: 'unhealthy', inputs: { 'health-timeout': '3s' } });
  expectCode(bad, 1);
  expect(bad.outputs).toMatchObject({
    result: 'failed',
    'previous-sha': first.sha,
    'auto-rolled-back': 'false',
  });
  expect(stage(bad, 'deploy')).toMatchObject({ status: 'failed' });
  expect(stage(bad, 'deploy')?.detail).toMatch(/was not healthy in 3s \(HTTP 404\)/);
  expect(stage(bad, 'deploy')?.detail).toContain(`${short(first.sha)} keeps serving`);
  expect(stage(bad, 'verify')).toMatchObject({ status: 'skipped' });
  expect(await live(t)).toEqual(serving('v1'));
  expect(await containersOfSha(docker, t, bad.sha)).toEqual([]);
  expect(await lockExists(t.app)).toBe(false);
  expect(bad.summary).toContain('❌ Failed at deploy');
  expect(bad.summary).toMatch(
    /\| Health checks \| \d+ probe\(s\) of .*not healthy after .*\(last: HTTP 404\)/,
  );
  expect(bad.summary).toContain(`| Live after | \`${short(first.sha)}\``);
  expect(bad.summary).toContain('Last log lines of the new container');
  // The new container's last log lines: busybox httpd -v logs each probe it answered 404.
  expect(bad.summary).toMatch(/response:404/);
  expect(visibleLog(bad)).toMatch(/::error::deploy failed: .*was not healthy/);
});

test('a crash-looping new version is reported with its exit code and output; the old one keeps serving', async () => {
  const t = target('crash');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const started = Date.now();
  const crash = await deploy(t, 'v2-crash', { kind: 'crash' });
  expectCode(crash, 1);
  expect(Date.now() - started).toBeLessThan(30_000); // noticed at once, not at the health timeout
  expect(crash.outputs).toMatchObject({ result: 'failed', 'previous-sha': first.sha });
  expect(stage(crash, 'deploy')?.status).toBe('failed');
  expect(stage(crash, 'deploy')?.detail).toMatch(/exited with code 3 before it was healthy/);
  expect(crash.summary).toContain('Last log lines of the new container (exit code 3)');
  expect(crash.summary).toContain('boom');
  expect(await live(t)).toEqual(serving('v1'));
  expect(await containersOfSha(docker, t, crash.sha)).toEqual([]);
  expect(await containersOf(docker, t.app)).toEqual([
    { name: `${t.app}-${short(first.sha)}-1`, state: 'running' },
  ]);
});

test('a failed verify rolls back automatically: result rolled-back, the first version serves again', async () => {
  const t = target('verify');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const second = await deploy(t, 'v2-smoke-fails', {
    inputs: { 'smoke-command': 'echo "smoke against $URL"; curl -fsS "$URL/version" || true; exit 1' },
  });
  expect(second.outputs).toMatchObject({
    result: 'rolled-back',
    'auto-rolled-back': 'true',
    'previous-sha': first.sha,
  });
  expect(stage(second, 'deploy')?.status).toBe('passed');
  expect(stage(second, 'verify')?.status).toBe('failed');
  expect(stage(second, 'verify')?.detail).toMatch(
    /smoke-command exited with code 1; rolled back automatically to/,
  );
  // The smoke command ran against the new version through the proxy.
  expect(visibleLog(second)).toContain(`smoke against ${t.base}`);
  expect(visibleLog(second)).toContain('v2-smoke-fails');
  expect(await live(t)).toEqual(serving('v1'));
  expect(second.summary).toContain('↩️ Rolled back production');
  expect(second.summary).toContain('| smoke-command | failed (exit 1) |');
  expect(second.summary).toContain(`| Live after | \`${short(first.sha)}\``);
  const running = (await containersOf(docker, t.app)).filter((c) => c.state === 'running');
  expect(running).toEqual([{ name: `${t.app}-${short(first.sha)}-1`, state: 'running' }]);
  // The run fails: the new version did not pass verify.
  expectCode(second, 1);
  expect(visibleLog(second)).toMatch(/::error::verify failed: smoke-command exited with code 1/);
});

test('two deploys started at once for the same app are serialized by the deploy lock', async () => {
  const t = target('lock');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  // A long drain keeps the lock held a few seconds, whichever run takes it first.
  const slow = { inputs: { 'drain-timeout': '3s' } };
  const [a, b] = await Promise.all([deploy(t, 'v2-a', slow), deploy(t, 'v2-b', slow)]);
  expectCode(a, 0);
  expectCode(b, 0);
  const waited = [a, b].filter((r) => /waiting for the deploy lock held by run/.test(visibleLog(r)));
  expect(waited.length).toBe(1);
  const second = waited[0]!;
  const winner = second === a ? b : a;
  // No overlap: the winner replaced v1; the waiter found the winner live and replaced it.
  expect(winner.outputs['previous-sha']).toBe(first.sha);
  expect(second.outputs['previous-sha']).toBe(winner.sha);
  expect(await live(t)).toEqual(serving(second.label));
  expect((await containersOf(docker, t.app)).filter((c) => c.state === 'running').length).toBe(1);
  expect(await lockExists(t.app)).toBe(false);
});

test('SIGTERM during the health wait: exits soon, the old version serves, the lock is released', async () => {
  const t = target('sigterm');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  let signalled = 0;
  const cancelled = await deploy(t, 'v2-never-healthy', {
    kind: 'unhealthy',
    inputs: { 'health-timeout': '60s' },
    onSpawn: (child) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        if (signalled === 0 && /probing http/.test(out)) {
          signalled = -1;
          setTimeout(() => {
            signalled = Date.now();
            child.kill('SIGTERM');
          }, 2_000);
        }
      });
    },
  });
  expect(signalled).toBeGreaterThan(0);
  expect(Date.now() - signalled).toBeLessThan(15_000);
  expect(cancelled.code).not.toBe(0);
  expect(cancelled.outputs.result).toBe('failed');
  expect(stage(cancelled, 'deploy')?.status).toBe('failed');
  expect(stage(cancelled, 'deploy')?.detail).toMatch(/cancelled/);
  expect(visibleLog(cancelled)).toContain('Received SIGTERM');
  expect(await live(t)).toEqual(serving('v1'));
  expect(await containersOfSha(docker, t, cancelled.sha)).toEqual([]);
  expect(await lockExists(t.app)).toBe(false);
  const next = await deploy(t, 'v3');
  expectCode(next, 0);
  expect(visibleLog(next)).not.toMatch(/waiting for the deploy lock/);
  expect(next.outputs['previous-sha']).toBe(first.sha);
  expect(await live(t)).toEqual(serving('v3'));
});

test('retain: 1 keeps one stopped container besides the running one', async () => {
  const t = target('retain');
  const runs: Deployed[] = [];
  for (const label of ['v1', 'v2', 'v3']) {
    const run = await deploy(t, label, { inputs: { retain: '1' } });
    expectCode(run, 0);
    runs.push(run);
  }
  const [v1, v2, v3] = runs as [Deployed, Deployed, Deployed];
  expect(visibleLog(v3)).toContain(`${t.app}-${short(v1.sha)}-1`);
  expect((await containersOf(docker, t.app)).sort((x, y) => x.name.localeCompare(y.name))).toEqual(
    [
      { name: `${t.app}-${short(v3.sha)}-1`, state: 'running' },
      { name: `${t.app}-${short(v2.sha)}-1`, state: 'exited' },
    ].sort((x, y) => x.name.localeCompare(y.name)),
  );
  expect(await live(t)).toEqual(serving('v3'));
});

test('an unreachable docker-host fails the deploy naming the host, and changes nothing', async () => {
  const t = target('unreachable');
  const run = await deploy(t, 'v1', { inputs: { 'docker-host': 'tcp://127.0.0.1:1' } });
  expectCode(run, 1);
  expect(run.outputs.result).toBe('failed');
  // Reached first (preflight): nothing is built, pushed or migrated for a host that cannot be deployed to.
  expect(stage(run, 'build')?.status).toBe('skipped');
  expect(stage(run, 'gate')?.status).toBe('skipped');
  expect(stage(run, 'deploy')?.status).toBe('failed');
  expect(stage(run, 'deploy')?.detail).toMatch(
    /cannot reach the Docker host tcp:\/\/127\.0\.0\.1:1\b.*docker-host/,
  );
  expect(stage(run, 'verify')?.status).toBe('skipped');
  expect(visibleLog(run)).toContain('cannot reach the Docker host tcp://127.0.0.1:1');
  expect(run.summary).toContain('tcp://127.0.0.1:1');
  expect(await containersOf(docker, t.app)).toEqual([]);
  expect(await lockExists(t.app)).toBe(false);
  expect((await fetchText(`${t.base}/`)).status).toBe(0);
});
