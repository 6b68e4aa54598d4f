import http from 'node:http';
import crypto from 'node:crypto';
import Docker from 'dockerode';
import {
  deployDocker,
  dockerFromHost,
  rollbackDocker,
  type DockerDeployOptions,
} from '../../src/deploy/docker';
import { dockerTarget } from '../../src/deploy/docker-target';
import { lockCreateBody } from '../../src/deploy/docker/lock';
import {
  buildTestApp,
  cleanupApp,
  containersOf,
  fetchText,
  PROXY_IMAGE,
  BASE_IMAGE,
} from '../helpers/docker-app';

// Against the Docker Engine from scripts/services.sh: host networking on loopback, a Caddy proxy of
// its own (name and admin port) so other suites' proxies are left alone.
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const PROXY = 'safe-deploy-proxy-itest-docker';
const PROXY_ADMIN = 'localhost:2919';
const ENV = 'test';
const RUN = crypto.randomBytes(3).toString('hex');
// A random block of ten public ports in 18000-18999 per run, one port per test.
const PORT_BASE = 18000 + crypto.randomInt(0, 98) * 10;
const images = {
  v1: 'safe-deploy-itest/docker-app:v1',
  v2: 'safe-deploy-itest/docker-app:v2',
  v3: 'safe-deploy-itest/docker-app:v3',
  bad: 'safe-deploy-itest/docker-app:unhealthy',
  crash: 'safe-deploy-itest/docker-app:crash',
};
const apps: string[] = [];
let portIndex = 0;

const sha = (version: string): string => crypto.createHash('sha1').update(version).digest('hex');

interface TestApp {
  app: string;
  port: number;
  url: string;
  lines: string[];
  opts: (image: string, version: string, extra?: Partial<DockerDeployOptions>) => DockerDeployOptions;
}

function testApp(name: string): TestApp {
  const app = `sdt-${name}-${RUN}`;
  const port = PORT_BASE + portIndex++;
  apps.push(app);
  const lines: string[] = [];
  return {
    app,
    port,
    url: `http://127.0.0.1:${port}/version`,
    lines,
    opts: (image, version, extra = {}) => ({
      app,
      environment: ENV,
      image,
      sha: sha(version),
      docker,
      network: 'host',
      proxyImage: PROXY_IMAGE,
      proxyName: PROXY,
      proxyAdmin: PROXY_ADMIN,
      publicPort: port,
      healthTimeoutMs: 15_000,
      healthIntervalMs: 200,
      drainMs: 200,
      retain: 5,
      runId: `test-${name}`,
      log: (line) => lines.push(line),
      ...extra,
    }),
  };
}

beforeAll(async () => {
  await Promise.all([
    buildTestApp(docker, images.v1, 'healthy', 'v1'),
    buildTestApp(docker, images.v2, 'healthy', 'v2'),
    buildTestApp(docker, images.v3, 'healthy', 'v3'),
    buildTestApp(docker, images.bad, 'unhealthy', 'bad'),
    buildTestApp(docker, images.crash, 'crash', 'crash'),
  ]);
}, 120_000);

afterAll(async () => {
  for (const app of apps) await cleanupApp(docker, app, ENV);
  await docker
    .getContainer(PROXY)
    .remove({ force: true })
    .catch(() => undefined);
  for (const v of [`${PROXY}-data`, `${PROXY}-config`]) {
    await docker
      .getVolume(v)
      .remove()
      .catch(() => undefined);
  }
});

async function running(app: string): Promise<string[]> {
  return (await containersOf(docker, app)).filter((c) => c.state === 'running').map((c) => c.name);
}

test('first deploy: starts the container, creates the proxy and answers on the public port', async () => {
  const t = testApp('first');
  const r = await deployDocker(t.opts(images.v1, 'v1'));
  expect(r).toMatchObject({
    status: 'deployed',
    gap: false,
    previous: undefined,
    url: `http://127.0.0.1:${t.port}`,
  });
  expect(r.current).toMatchObject({
    sha: sha('v1'),
    image: images.v1,
    container: `${t.app}-${sha('v1').slice(0, 7)}-1`,
  });
  expect(r.upstream).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(r.health).toMatchObject({ healthy: true, lastStatus: 200 });
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v1' });
  const info = await docker.getContainer(r.current?.container ?? '').inspect();
  expect(info.Config.Labels).toMatchObject({
    'safe-deploy.app': t.app,
    'safe-deploy.environment': ENV,
    'safe-deploy.sha': sha('v1'),
    'safe-deploy.image': images.v1,
  });
  expect(info.HostConfig.RestartPolicy?.Name).toBe('unless-stopped');
  expect(info.Config.Env).toContain(`PORT=${r.upstream?.split(':')[1]}`);
  await expect(docker.getContainer(`safe-deploy-lock-${t.app}-${ENV}`).inspect()).rejects.toMatchObject({
    statusCode: 404,
  });
});

test('second deploy swaps with zero failed requests and stops the old container', async () => {
  const t = testApp('swap');
  expect((await deployDocker(t.opts(images.v1, 'v1'))).status).toBe('deployed');
  // Hammer the public port during the swap: nothing may fail.
  let stop = false;
  const seen: Record<string, number> = {};
  const load = (async () => {
    while (!stop) {
      const res = await fetchText(t.url);
      const key = res.status === 200 ? res.body : `error ${res.status} ${res.body}`;
      seen[key] = (seen[key] ?? 0) + 1;
    }
  })();
  const r = await deployDocker(t.opts(images.v2, 'v2'));
  await new Promise((resolve) => setTimeout(resolve, 300));
  stop = true;
  await load;
  expect(r.status).toBe('deployed');
  expect(r.previous).toMatchObject({
    sha: sha('v1'),
    image: images.v1,
    container: `${t.app}-${sha('v1').slice(0, 7)}-1`,
  });
  expect(Object.keys(seen).sort()).toEqual(['v1', 'v2']);
  expect((seen.v1 ?? 0) + (seen.v2 ?? 0)).toBeGreaterThan(50);
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v2' });
  const all = await containersOf(docker, t.app);
  expect(all.find((c) => c.name === r.previous?.container)?.state).toBe('exited');
  expect(await running(t.app)).toEqual([r.current?.container]);
});

test('an unhealthy new version never gets traffic: removed, logs captured, old keeps serving', async () => {
  const t = testApp('unhealthy');
  await deployDocker(t.opts(images.v1, 'v1'));
  const r = await deployDocker(t.opts(images.bad, 'bad', { healthTimeoutMs: 2_000 }));
  expect(r.status).toBe('failed');
  expect(r.detail).toMatch(/was not healthy in 2s \(HTTP 404\); [0-9a-f]{7} keeps serving/);
  expect(r.health).toMatchObject({ healthy: false, lastStatus: 404 });
  expect(r.health?.probes).toBeGreaterThan(3);
  expect(r.logs?.join('\n')).toContain('starting bad');
  expect(r.current?.sha).toBe(sha('v1'));
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v1' });
  const names = (await containersOf(docker, t.app)).map((c) => c.name);
  expect(names).toEqual([`${t.app}-${sha('v1').slice(0, 7)}-1`]);
});

test('a crashing new version is reported with its exit code and last log lines', async () => {
  const t = testApp('crash');
  await deployDocker(t.opts(images.v1, 'v1'));
  const started = Date.now();
  const r = await deployDocker(t.opts(images.crash, 'crash'));
  expect(Date.now() - started).toBeLessThan(10_000); // stops early, not at the 15s health timeout
  expect(r).toMatchObject({ status: 'failed', exitCode: 3 });
  expect(r.detail).toMatch(/exited with code 3 before it was healthy/);
  expect(r.logs).toEqual(expect.arrayContaining(['boom: cannot reach the database']));
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v1' });
  expect((await containersOf(docker, t.app)).length).toBe(1);
});

test('rollback restarts the retained previous container and points the proxy back', async () => {
  const t = testApp('rollback');
  await deployDocker(t.opts(images.v1, 'v1'));
  const d2 = await deployDocker(t.opts(images.v2, 'v2'));
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v2' });
  const { opts } = t;
  const base = opts(images.v1, 'v1');
  const r = await rollbackDocker({ ...base, to: d2.previous?.container });
  expect(r).toMatchObject({ status: 'rolled-back', current: d2.previous, previous: d2.current });
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v1' });
  expect(await running(t.app)).toEqual([d2.previous?.container]);
  // Without `to`, the newest stopped version that is not live: v2 again.
  const back = await rollbackDocker(base);
  expect(back).toMatchObject({ status: 'rolled-back', current: d2.current });
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v2' });
});

test('two deploys started at once are serialized by the lock', async () => {
  const t = testApp('lock');
  await deployDocker(t.opts(images.v1, 'v1'));
  const spans: Array<[number, number]> = [];
  const timed = async (o: DockerDeployOptions): Promise<string> => {
    let from = 0;
    const r = await deployDocker({
      ...o,
      log: (line) => {
        t.lines.push(line);
        if (line.startsWith('live:')) from = Date.now(); // inside the lock
      },
    });
    spans.push([from, Date.now()]);
    return r.status;
  };
  const statuses = await Promise.all([
    timed(t.opts(images.v2, 'v2', { runId: 'A' })),
    timed(t.opts(images.v3, 'v3', { runId: 'B' })),
  ]);
  expect(statuses).toEqual(['deployed', 'deployed']);
  expect(t.lines.some((l) => /^waiting for the deploy lock held by run [AB] since \d{4}-/.test(l))).toBe(
    true,
  );
  const [first, second] = [...spans].sort((a, b) => a[0] - b[0]);
  expect(second?.[0]).toBeGreaterThanOrEqual(first?.[1] ?? Infinity);
  const body = (await fetchText(t.url)).body;
  expect(['v2', 'v3']).toContain(body);
  expect((await running(t.app)).length).toBe(1);
});

test('a held lock times out with who holds it and how to free it; a stale one is broken', async () => {
  const t = testApp('stale');
  const lock = `safe-deploy-lock-${t.app}-${ENV}`;
  const since = new Date(Date.now() - 60_000).toISOString();
  const hold = (): Promise<unknown> =>
    docker.createContainer({
      name: lock,
      Image: BASE_IMAGE,
      Entrypoint: ['true'],
      Labels: { 'safe-deploy.lock.holder': '4242', 'safe-deploy.lock.since': since },
    });
  await hold();
  const r = await deployDocker(t.opts(images.v1, 'v1', { lockWaitMs: 1_000 }));
  expect(r.status).toBe('failed');
  expect(r.detail).toContain(`held by run 4242 since ${since}`);
  expect(r.detail).toContain(`docker rm ${lock}`);
  expect(await containersOf(docker, t.app)).toEqual([]);
  const broken = await deployDocker(t.opts(images.v1, 'v1', { lockWaitMs: 1_000, lockStaleMs: 30_000 }));
  expect(broken.status).toBe('deployed');
  expect(t.lines.some((l) => l.startsWith('breaking the stale deploy lock held by run 4242'))).toBe(true);
  await expect(docker.getContainer(lock).inspect()).rejects.toMatchObject({ statusCode: 404 });
});

test('abort during the health wait removes the new container, keeps the old serving, frees the lock', async () => {
  const t = testApp('abort');
  await deployDocker(t.opts(images.v1, 'v1'));
  const controller = new AbortController();
  const pending = deployDocker(
    t.opts(images.bad, 'bad', { signal: controller.signal, healthTimeoutMs: 60_000 }),
  );
  setTimeout(() => controller.abort(), 1_500);
  const started = Date.now();
  const r = await pending;
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(r).toMatchObject({ status: 'failed', cancelled: true });
  expect(r.detail).toMatch(/cancelled during the health check/);
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v1' });
  expect((await containersOf(docker, t.app)).map((c) => c.name)).toEqual([
    `${t.app}-${sha('v1').slice(0, 7)}-1`,
  ]);
  await expect(docker.getContainer(`safe-deploy-lock-${t.app}-${ENV}`).inspect()).rejects.toMatchObject({
    statusCode: 404,
  });
});

test('retain keeps the newest stopped containers and removes older ones', async () => {
  const t = testApp('retain');
  const o = (image: string, v: string): DockerDeployOptions => t.opts(image, v, { retain: 1 });
  await deployDocker(o(images.v1, 'v1'));
  const d2 = await deployDocker(o(images.v2, 'v2'));
  const d3 = await deployDocker(o(images.v3, 'v3'));
  expect(d3.removed).toEqual([d2.previous?.container]);
  const all = await containersOf(docker, t.app);
  expect(all.map((c) => `${c.name} ${c.state}`).sort()).toEqual(
    [`${d3.current?.container} running`, `${d2.current?.container} exited`].sort(),
  );
  // Same commit again: the next number, not a clash.
  const again = await deployDocker(o(images.v3, 'v3'));
  expect(again.current?.container).toBe(`${t.app}-${sha('v3').slice(0, 7)}-2`);
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v3' });
});

test('proxy: none stops the old container first (a gap, said so) and restarts it when the new one fails', async () => {
  const t = testApp('direct');
  const o = (image: string, v: string): DockerDeployOptions =>
    t.opts(image, v, { proxy: 'none', healthTimeoutMs: 2_000 });
  expect(await deployDocker(o(images.v1, 'v1'))).toMatchObject({ status: 'deployed', gap: true });
  const d2 = await deployDocker(o(images.v2, 'v2'));
  expect(d2).toMatchObject({ status: 'deployed', gap: true, upstream: `127.0.0.1:${t.port}` });
  expect(d2.previous?.sha).toBe(sha('v1'));
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v2' });
  const bad = await deployDocker(o(images.bad, 'bad'));
  expect(bad).toMatchObject({ status: 'failed', gap: true, current: d2.current });
  expect(await fetchText(t.url)).toEqual({ status: 200, body: 'v2' });
  expect(await running(t.app)).toEqual([d2.current?.container]);
  await expect(docker.getContainer(`safe-deploy-probe-${t.app}-${ENV}`).inspect()).rejects.toMatchObject({
    statusCode: 404,
  });
});

test('a site Caddy rejects is taken back: the new container goes, the running config stays', async () => {
  const a = testApp('reload-a');
  const b = testApp('reload-b');
  await deployDocker(a.opts(images.v1, 'v1'));
  // Two sites on one public port: Caddy refuses the config, so the reload fails.
  const r = await deployDocker(b.opts(images.v2, 'v2', { publicPort: a.port }));
  expect(r.status).toBe('failed');
  expect(r.detail).toMatch(
    /caddy reload in .* failed \(exit 1\): .*ambiguous site definition.*; removed .*, nothing was serving/,
  );
  expect(await containersOf(docker, b.app)).toEqual([]);
  expect(await fetchText(a.url)).toEqual({ status: 200, body: 'v1' });
  // b's file was taken back, so the next reload (a's) is not poisoned by it.
  expect((await deployDocker(a.opts(images.v2, 'v2'))).status).toBe('deployed');
  expect(await fetchText(a.url)).toEqual({ status: 200, body: 'v2' });
});

test('an unreachable Docker host fails clearly before anything changes', async () => {
  const t = testApp('unreachable');
  const opts = { ...t.opts(images.v1, 'v1'), docker: undefined, host: 'tcp://127.0.0.1:1' };
  const started = Date.now();
  const r = await deployDocker(opts);
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(r.status).toBe('failed');
  expect(r.detail).toMatch(
    /^cannot reach the Docker host tcp:\/\/127\.0\.0\.1:1: .*ECONNREFUSED.*; check docker-host/,
  );
  expect(await containersOf(docker, t.app)).toEqual([]);
  expect(t.lines).toEqual([]);
});

test('dockerFromHost understands unix://, tcp:// and ssh:// hosts', () => {
  type Modem = {
    socketPath?: string;
    host?: string;
    port?: number | string;
    protocol?: string;
    username?: string;
  };
  const modem = (host: string, key?: string): Modem => dockerFromHost(host, key).modem as unknown as Modem;
  expect(modem('unix:///run/other.sock')).toMatchObject({ socketPath: '/run/other.sock', host: undefined });
  expect(modem('tcp://10.0.0.5:2375')).toMatchObject({ host: '10.0.0.5', port: '2375', protocol: 'http' });
  expect(modem('tcp://10.0.0.5:2376')).toMatchObject({ protocol: 'https' });
  // ssh:// goes through our agent (one SSH connection per run, see deploy-ssh.test.ts for the real
  // thing), not docker-modem's per-request ssh transport.
  const ssh = dockerFromHost('ssh://deploy@10.0.0.5:2222', 'KEY').modem as unknown as Modem & {
    agent?: unknown;
  };
  expect(ssh.protocol).toBe('http');
  expect(ssh.agent).toBeInstanceOf(http.Agent);
  expect(() => dockerFromHost('ftp://x')).toThrow(/unsupported scheme ftp:/);
});

test('restore with no way back (retained container gone, image nowhere) fails loudly naming what is live now', async () => {
  const t = testApp('noway');
  const r = await deployDocker(t.opts(images.v1, 'v1'));
  expect(r.status).toBe('deployed');
  const target = dockerTarget({
    ...t.opts(images.v1, 'v1'),
    where: 'local',
    port: 3000,
    env: {},
    volumes: [],
  });
  const gone = {
    sha: sha('gone'),
    image: `127.0.0.1:5000/sd-test/never-pushed-${RUN}@sha256:${'0'.repeat(64)}`,
    container: `${t.app}-gone-1`,
  };
  const out = await target.restore(gone, r.current);
  expect(out.ok).toBe(false);
  expect(out.detail).toMatch(
    /^no way back to [0-9a-f]{7} worked \(restarting .*-gone-1: no retained container/,
  );
  expect(out.detail).toMatch(/running 127\.0\.0\.1:5000\/sd-test\/never-pushed-.*could not be pulled/);
  expect(out.detail).toContain(`live now: ${sha('v1').slice(0, 7)} in ${t.app}-${sha('v1').slice(0, 7)}-1`);
  expect((await fetchText(t.url)).body).toBe('v1');
});

test('a lock whose holder goes silent (a runner that vanished, connection still open) frees itself', async () => {
  const name = `safe-deploy-lock-sdt-silent-${RUN}-${ENV}`;
  const c = await docker.createContainer(
    lockCreateBody({ name, image: PROXY_IMAGE, runId: 'vanished' }, 'now'),
  );
  // Attached and never written to, never closed: only the lease's silence can end it.
  const stream = (await c.attach({ stream: true, stdin: true, hijack: true })) as NodeJS.ReadWriteStream;
  await c.start();
  const started = Date.now();
  const exists = (): Promise<boolean> =>
    c.inspect().then(
      () => true,
      () => false,
    );
  expect(await exists()).toBe(true);
  while ((await exists()) && Date.now() - started < 40_000) await new Promise((r) => setTimeout(r, 500));
  const gone = Date.now() - started;
  stream.end();
  expect(await exists()).toBe(false);
  expect(gone).toBeGreaterThan(15_000); // the 20 s lease…
  expect(gone).toBeLessThan(30_000); // …not an hour
}, 60_000);
