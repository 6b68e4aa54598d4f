import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import { randomSha, REGISTRY, runAction, uniqueRepo, visibleLog, workspaceFrom } from '../helpers/action';

// scripts/services.sh runs sshd on 127.0.0.1:2222 with this test key (root may log in with it).
const KEY_FILE = path.join(
  process.env.SAFE_DEPLOY_STATE_DIR ?? '/tmp/safe-deploy-services',
  'ssh/id_ed25519',
);
const APP = `sd-ssh-${Math.random().toString(16).slice(2, 8)}`;
const PORT = 19100 + Math.floor(Math.random() * 100);
const docker = new Docker();

afterAll(async () => {
  const mine = await docker.listContainers({ all: true, filters: { label: [`safe-deploy.app=${APP}`] } });
  for (const c of mine) await docker.getContainer(c.Id).remove({ force: true });
  // The site file of this app in the shared proxy, so no stale site keeps the port.
  const proxy = docker.getContainer('safe-deploy-proxy');
  const exec = await proxy.exec({
    Cmd: [
      'sh',
      '-c',
      `rm -f /etc/caddy/sites/${APP}--*.caddy && caddy reload --config /etc/caddy/Caddyfile --adapter caddyfile`,
    ],
  });
  await exec.start({});
});

const inputs = (extra: Record<string, string> = {}): Record<string, string> => ({
  image: `${REGISTRY}/${uniqueRepo('ssh')}`,
  'deploy-to': 'docker',
  app: APP,
  network: 'host',
  'proxy-image': 'safe-deploy-test/caddy:latest',
  'public-port': String(PORT),
  'health-interval': '200ms',
  'health-timeout': '10s',
  'drain-timeout': '1s',
  ...extra,
});

test('deploys to a Docker host over ssh:// with ssh-key, without leaking the key', async () => {
  const key = fs.readFileSync(KEY_FILE, 'utf8');
  const ws = workspaceFrom('hello-app');
  fs.writeFileSync(path.join(ws, 'www/index.html'), 'over ssh\n');
  const started = Date.now();
  const run = await runAction({
    cwd: ws,
    sha: randomSha(),
    inputs: inputs({ 'docker-host': 'ssh://root@127.0.0.1:2222', 'ssh-key': key }),
  });
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('deployed');
  expect(await (await fetch(`http://127.0.0.1:${PORT}/`)).text()).toBe('over ssh\n');
  // The SSH connection is closed at the end: the process exits by itself, promptly.
  expect(Date.now() - started).toBeLessThan(60_000);
  expect(run.summary).toContain('ssh://root@127.0.0.1:2222');
  // docker-modem's own ssh transport made Node warn about an invalid URL; ours must not.
  expect(run.stderr).not.toContain('DEP0170');
  const keyBody = key.split('\n').filter((l) => l && !l.startsWith('-----'));
  for (const line of keyBody) {
    expect(visibleLog(run)).not.toContain(line);
    expect(run.summary).not.toContain(line);
    expect(fs.readFileSync(path.join(run.dir, 'output.txt'), 'utf8')).not.toContain(line);
  }
});

test('a key the host refuses fails clearly before anything changes', async () => {
  const before = await docker.listContainers({ all: true, filters: { label: [`safe-deploy.app=${APP}`] } });
  const wrong = fs.readFileSync(path.join(path.dirname(KEY_FILE), 'host_key'), 'utf8'); // a valid key, not authorized
  const run = await runAction({
    cwd: workspaceFrom('hello-app'),
    inputs: inputs({ 'docker-host': 'ssh://root@127.0.0.1:2222', 'ssh-key': wrong }),
  });
  expect(run.code).toBe(1);
  expect(run.summary).toMatch(/deploy failed:.*(authentication|ssh:\/\/root@127\.0\.0\.1:2222)/i);
  const after = await docker.listContainers({ all: true, filters: { label: [`safe-deploy.app=${APP}`] } });
  expect(after.map((c) => c.Id).sort()).toEqual(before.map((c) => c.Id).sort());
});
