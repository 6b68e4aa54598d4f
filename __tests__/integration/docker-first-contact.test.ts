import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  randomSha,
  registryTags,
  runAction,
  visibleLog,
  type ActionRun,
  type RunOptions,
} from '../helpers/action';
import { containersOf, containersOfSha, fetchText, PROXY_IMAGE } from '../helpers/docker-app';
import {
  appTarget,
  appWorkspace,
  docker,
  dockerDeployInputs,
  expectCode,
  live,
  portBlock,
  PROXY,
  reloadProxy,
  removeApp,
  RUN,
  serving,
  short,
  stage,
  type AppTarget,
} from '../helpers/deploy-app';

// Issue 8: the first days of the docker target on a real host. Every test runs dist/index.js
// against the default proxy `safe-deploy-proxy` (shared with other suites on this engine, which
// re-create it as needed) and breaks one thing at a time.

const ENV = 'production';
const nextPort = portBlock(17000, 90);
const cleanup: string[] = [];

function target(name: string): AppTarget {
  const app = `sdf-${name}-${RUN}`;
  cleanup.push(app);
  return appTarget(app, nextPort(), `first-${name}`);
}

interface DeployOptions {
  inputs?: Record<string, string>;
  sha?: string;
  /** Remove /health from the app: every probe gets 404. */
  unhealthy?: boolean;
  onSpawn?: RunOptions['onSpawn'];
}

async function deploy(
  t: AppTarget,
  label: string,
  o: DeployOptions = {},
): Promise<ActionRun & { sha: string }> {
  const sha = o.sha ?? randomSha();
  const cwd = appWorkspace(label);
  if (o.unhealthy) fs.rmSync(path.join(cwd, 'www/health'));
  const run = await runAction({
    cwd,
    sha,
    onSpawn: o.onSpawn,
    inputs: { ...dockerDeployInputs(t, label), ...o.inputs },
  });
  return { ...run, sha };
}

/** Calls `act` once, `delayMs` after the run's output first matches `pattern`. */
function when(
  pattern: RegExp,
  act: (child: import('node:child_process').ChildProcess) => void,
  delayMs = 0,
): RunOptions['onSpawn'] {
  return (child) => {
    let out = '';
    let fired = false;
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (!fired && pattern.test(out)) {
        fired = true;
        setTimeout(() => act(child), delayMs);
      }
    });
  };
}

const proxy = (): ReturnType<typeof docker.getContainer> => docker.getContainer(PROXY);
const lockOf = (t: AppTarget): ReturnType<typeof docker.getContainer> =>
  docker.getContainer(`safe-deploy-lock-${t.app}-${ENV}`);
const exists = (c: ReturnType<typeof docker.getContainer>): Promise<boolean> =>
  c.inspect().then(
    () => true,
    () => false,
  );

/** A host where safe-deploy never ran: no proxy, no proxy volumes, no safe-deploy network, no locks. */
async function wipeHost(): Promise<void> {
  await docker
    .getContainer(PROXY)
    .remove({ force: true })
    .catch(() => undefined);
  const locks = await docker.listContainers({ all: true, filters: { label: ['safe-deploy.role=lock'] } });
  await Promise.all(
    locks.map((l) =>
      docker
        .getContainer(l.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  const volumes = (await docker.listVolumes()).Volumes ?? [];
  for (const v of volumes.filter((v) => v.Name.startsWith(`${PROXY}-`)))
    await docker
      .getVolume(v.Name)
      .remove({ force: true })
      .catch(() => undefined);
  await docker
    .getNetwork('safe-deploy')
    .remove()
    .catch(() => undefined);
}

afterEach(async () => {
  for (const app of cleanup.splice(0)) await removeApp(app, ENV);
});

afterAll(reloadProxy);

test('start from nothing: the first deploy to a host with none of our containers, volumes or networks', async () => {
  await wipeHost();
  expect((await docker.listContainers({ all: true, filters: { name: [`^/${PROXY}$`] } })).length).toBe(0);
  const t = target('fresh');
  const run = await deploy(t, 'v1');
  expectCode(run, 0);
  expect(run.outputs.result).toBe('deployed');
  expect(run.outputs['previous-sha']).toBe('');
  expect(stage(run, 'deploy')?.detail).toContain(`${short(run.sha)} is live`);
  expect(await live(t)).toEqual(serving('v1'));
  expect((await docker.getContainer(PROXY).inspect()).State.Running).toBe(true);
});

test('1. a stopped (killed) proxy is started again, and the run says so', async () => {
  const t = target('stopped');
  expectCode(await deploy(t, 'v1'), 0);
  await proxy().kill();
  expect((await proxy().inspect()).State.Running).toBe(false);
  const run = await deploy(t, 'v2');
  expectCode(run, 0);
  expect(visibleLog(run)).toMatch(/the proxy safe-deploy-proxy was killed.*started it again/);
  expect(run.summary).toMatch(/started it again/);
  expect((await proxy().inspect()).State.Running).toBe(true);
  expect(await live(t)).toEqual(serving('v2'));
});

test('2. the proxy dying during the health check: detected at once, restarted, previous route back, real cause', async () => {
  const t = target('dies');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const started = Date.now();
  const run = await deploy(t, 'v2-slow', {
    unhealthy: true,
    inputs: { 'health-timeout': '60s' },
    onSpawn: when(/probing http/, () => void proxy().kill(), 300),
  });
  expectCode(run, 1);
  expect(Date.now() - started).toBeLessThan(45_000); // not the whole health-timeout
  const detail = stage(run, 'deploy')?.detail ?? '';
  expect(detail).toMatch(/the proxy safe-deploy-proxy went down during the health check/);
  expect(detail).toMatch(/started it again: [0-9a-f]{7} serves again/);
  expect(detail).not.toMatch(/not healthy/);
  expect((await proxy().inspect()).State.Running).toBe(true);
  expect(await live(t)).toEqual(serving('v1'));
  expect(await containersOfSha(docker, t, run.sha)).toEqual([]);
});

test('3. re-creating a removed proxy restores every app route (site files in a volume)', async () => {
  const a = target('keep-a');
  const b = target('keep-b');
  expectCode(await deploy(a, 'a1'), 0);
  expectCode(await deploy(b, 'b1'), 0);
  await proxy().remove({ force: true });
  expect((await fetchText(`${a.base}/`)).status).toBe(0);
  const run = await deploy(b, 'b2');
  expectCode(run, 0);
  expect(stage(run, 'deploy')?.detail).toMatch(/created the proxy safe-deploy-proxy/);
  expect(await live(b)).toEqual(serving('b2'));
  expect(await live(a)).toEqual(serving('a1')); // never touched by this run, served again
});

test('4. a SIGKILLed run: the next deploy gets the lock in seconds, and its leftover is not a past version', async () => {
  const t = target('sigkill');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const sha = randomSha();
  const killed = await deploy(t, 'v2', {
    sha,
    unhealthy: true,
    inputs: { 'health-timeout': '60s' },
    onSpawn: when(/probing http/, (child) => child.kill('SIGKILL'), 300),
  });
  expect(killed.code).not.toBe(0);
  // What the dead run left: its container (started, never switched to).
  expect((await containersOfSha(docker, t, sha)).length).toBe(1);
  const started = Date.now();
  // The same commit again, built healthy this time; a rollback would be refused.
  const again = await deploy(t, 'v2', {
    sha,
    inputs: { rebuild: 'always', 'allow-rollback': 'false', 'deploy-lock-wait': '30s' },
  });
  expectCode(again, 0);
  expect(Date.now() - started).toBeLessThan(40_000);
  expect(again.outputs.rollback).toBe('false');
  expect(again.outputs['previous-sha']).toBe(first.sha);
  expect(again.summary).not.toMatch(/Rolled back/);
  expect(await live(t)).toEqual(serving('v2'));
  const [mine] = (await containersOfSha(docker, t, sha)).filter((c) => c.State === 'running');
  expect(mine).toBeDefined();
  const info = await docker.getContainer(mine!.Id).inspect();
  expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
  // The dead run's container was never live: pruned, not kept as a rollback target.
  expect((await containersOfSha(docker, t, sha)).length).toBe(1);
  expect(await exists(lockOf(t))).toBe(false);
});

test('4b. the lock of a SIGKILLed run is gone within seconds, with no deploy needed', async () => {
  const t = target('lockgone');
  expectCode(await deploy(t, 'v1'), 0);
  let killedAt = 0;
  await deploy(t, 'v2', {
    unhealthy: true,
    inputs: { 'health-timeout': '60s' },
    onSpawn: when(/probing http/, (child) => {
      killedAt = Date.now();
      child.kill('SIGKILL');
    }),
  });
  for (let i = 0; i < 50 && (await exists(lockOf(t))); i++) await new Promise((r) => setTimeout(r, 100));
  expect(await exists(lockOf(t))).toBe(false);
  expect(Date.now() - killedAt).toBeLessThan(8_000);
});

test('5. auto-rollback when the previous container is gone: the previous image runs again', async () => {
  const t = target('noprev');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  const prevName = `${t.app}-${short(first.sha)}-1`;
  const run = await deploy(t, 'v2-smoke-fails', {
    inputs: { 'smoke-command': `docker rm -f ${prevName} >/dev/null; exit 1` },
  });
  expectCode(run, 1);
  expect(run.outputs['auto-rolled-back']).toBe('true');
  expect(stage(run, 'verify')?.detail).toMatch(/rolled back automatically to/);
  expect(await live(t)).toEqual(serving('v1'));
  const running = (await containersOf(docker, t.app)).filter((c) => c.state === 'running');
  expect(running.length).toBe(1);
  expect(running[0]?.name).toMatch(new RegExp(`^${t.app}-${short(first.sha)}-\\d+$`));
  expect(visibleLog(run)).toMatch(
    new RegExp(`could not put ${prevName} back .*running .* in a new container`),
  );
});

test('6. SIGTERM after the switch reports the new version live, not "previous keeps serving"', async () => {
  const t = target('termafter');
  const first = await deploy(t, 'v1');
  expectCode(first, 0);
  // A client connected before the switch that has sent nothing yet: the old config keeps it (for
  // up to 5 s), so the drain waits for it and the SIGTERM lands during the drain.
  let idle: net.Socket | undefined;
  const sigterm = when(/switched :\d+ to /, (child) => child.kill('SIGTERM'), 200);
  const run = await deploy(t, 'v2', {
    inputs: { 'drain-timeout': '20s', 'health-url': `${t.base}/health` },
    onSpawn: (child) => {
      when(/probing http/, () => (idle = net.connect(t.port, '127.0.0.1')))?.(child);
      sigterm?.(child);
    },
  });
  idle?.destroy();
  expect(idle).toBeDefined();
  expect(run.code).not.toBe(0);
  const log = visibleLog(run);
  expect(log).toContain('Received SIGTERM');
  expect(log).not.toMatch(/previous version keeps serving/);
  expect(run.summary).not.toMatch(/previous version keeps serving/i);
  expect(run.summary).toMatch(/The new version is live/);
  expect(stage(run, 'deploy')?.status).toBe('passed');
  expect(await live(t)).toEqual(serving('v2'));
  expect(await exists(lockOf(t))).toBe(false);
});

test('7. an unreachable docker-host stops the run before the build pushes or migrations run', async () => {
  const t = target('preflight');
  const marker = path.join(fs.mkdtempSync('/tmp/sdf-'), 'migrated');
  const run = await deploy(t, 'v1', {
    inputs: { 'docker-host': 'tcp://127.0.0.1:1', 'migrate-command': `touch ${marker}` },
  });
  expectCode(run, 1);
  expect(stage(run, 'build')?.status).toBe('skipped');
  expect(stage(run, 'migrate')?.status).toBe('skipped');
  expect(stage(run, 'deploy')?.detail).toMatch(/cannot reach the Docker host tcp:\/\/127\.0\.0\.1:1/);
  expect(fs.existsSync(marker)).toBe(false);
  expect(await registryTags(t.repo)).toEqual([]);
});

test('8. a second Caddy on the host holding localhost:2019 is neither reached nor answers our reloads', async () => {
  const other = `sdf-other-caddy-${RUN}`;
  const otherPort = nextPort();
  await docker
    .getContainer(other)
    .remove({ force: true })
    .catch(() => undefined);
  await wipeHost(); // our proxy is created by this version
  const c = await docker.createContainer({
    name: other,
    Image: PROXY_IMAGE,
    Cmd: [
      'sh',
      '-c',
      `printf '{\\n\\tadmin localhost:2019\\n}\\n:${otherPort} {\\n\\trespond "the other caddy"\\n}\\n' > /etc/caddy/Caddyfile && exec caddy run --config /etc/caddy/Caddyfile --adapter caddyfile`,
    ],
    HostConfig: { NetworkMode: 'host' },
  });
  try {
    await c.start();
    for (let i = 0; i < 50 && (await fetchText(`http://127.0.0.1:${otherPort}/`)).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await fetchText(`http://127.0.0.1:${otherPort}/`)).toEqual({
      status: 200,
      body: 'the other caddy',
    });
    const t = target('twocaddy');
    expectCode(await deploy(t, 'v1'), 0);
    expectCode(await deploy(t, 'v2'), 0); // two reloads
    expect(await live(t)).toEqual(serving('v2'));
    expect(await fetchText(`http://127.0.0.1:${otherPort}/`)).toEqual({
      status: 200,
      body: 'the other caddy',
    });
    // localhost:2019 is the other Caddy's alone: its config has none of our sites.
    const config = execFileSync('curl', ['-fsS', 'http://localhost:2019/config/'], { encoding: 'utf8' });
    expect(config).toContain(String(otherPort));
    expect(config).not.toContain(String(t.port));
  } finally {
    await c.remove({ force: true }).catch(() => undefined);
  }
});
