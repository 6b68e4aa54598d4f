import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomSha, runAction, visibleLog } from '../helpers/action';
import {
  appTarget,
  appWorkspace,
  docker,
  dockerDeployInputs,
  live,
  portBlock,
  reloadProxy,
  removeApp,
  RUN,
  serving,
} from '../helpers/deploy-app';

// scripts/services.sh runs sshd on 127.0.0.1:2222 with this test key (root may log in with it).
const KEY_FILE = path.join(
  process.env.SAFE_DEPLOY_STATE_DIR ?? '/tmp/safe-deploy-services',
  'ssh/id_ed25519',
);
const SSH_HOST = 'ssh://root@127.0.0.1:2222';
// The host's key as the real tools print it: ssh-keyscan (plain and hashed), ssh-keygen -l.
const keyscan = (...flags: string[]): string =>
  execFileSync('ssh-keyscan', [...flags, '-t', 'ed25519', '-p', '2222', '127.0.0.1'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
const HOST_PUB = path.join(path.dirname(KEY_FILE), 'host_key.pub');
const FINGERPRINT = execFileSync('ssh-keygen', ['-lf', HOST_PUB], { encoding: 'utf8' }).split(' ')[1] ?? '';
const t = appTarget(`sd-ssh-${RUN}`, portBlock(19100, 10)(), 'ssh');
const appContainers = async (): Promise<string[]> =>
  (await docker.listContainers({ all: true, filters: { label: [`safe-deploy.app=${t.app}`] } }))
    .map((c) => c.Id)
    .sort();

afterAll(async () => {
  await removeApp(t.app, 'production');
  await reloadProxy();
});

test('deploys to a Docker host over ssh:// with ssh-key, without leaking the key', async () => {
  const key = fs.readFileSync(KEY_FILE, 'utf8');
  const started = Date.now();
  const run = await runAction({
    cwd: appWorkspace('over-ssh'),
    sha: randomSha(),
    inputs: {
      ...dockerDeployInputs(t, 'over-ssh'),
      'docker-host': SSH_HOST,
      'ssh-key': key,
      'ssh-known-hosts': keyscan(),
    },
  });
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('deployed');
  expect(await live(t)).toEqual(serving('over-ssh'));
  // The SSH connection is closed at the end: the process exits by itself, promptly.
  expect(Date.now() - started).toBeLessThan(60_000);
  expect(run.summary).toContain(SSH_HOST);
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
  const before = await appContainers();
  const wrong = fs.readFileSync(path.join(path.dirname(KEY_FILE), 'host_key'), 'utf8'); // a valid key, not authorized
  const run = await runAction({
    cwd: appWorkspace('refused'),
    inputs: {
      ...dockerDeployInputs(t, 'refused'),
      'docker-host': SSH_HOST,
      'ssh-key': wrong,
      'ssh-known-hosts': keyscan('-H'),
    },
  });
  expect(run.code).toBe(1);
  expect(run.summary).toMatch(/deploy failed:.*authentication/i);
  expect(await appContainers()).toEqual(before);
});

test.each([
  ['missing', undefined, /ssh-known-hosts is not set/],
  [
    'wrong',
    // Another real key line for the same host: the client key's, not the host's.
    `[127.0.0.1]:2222 ${fs.readFileSync(`${KEY_FILE}.pub`, 'utf8').split(' ').slice(0, 2).join(' ')}`,
    /does not match ssh-known-hosts/,
  ],
])(
  'ssh-known-hosts %s: nothing changes, the error shows the line to add and its fingerprint',
  async (_, knownHosts, why) => {
    const before = await appContainers();
    const key = fs.readFileSync(KEY_FILE, 'utf8');
    const run = await runAction({
      cwd: appWorkspace('unknown-host'),
      inputs: {
        ...dockerDeployInputs(t, 'unknown-host'),
        'docker-host': SSH_HOST,
        'ssh-key': key,
        ...(knownHosts && { 'ssh-known-hosts': knownHosts }),
      },
    });
    expect(run.code).toBe(1);
    const detail = run.summary;
    expect(detail).toMatch(why);
    expect(detail).toContain(FINGERPRINT);
    expect(detail).toContain(keyscan()); // the exact line ssh-keyscan prints
    expect(run.outputs.result).toBe('failed');
    expect(run.summary).not.toMatch(/\| build \| ✅/);
    expect(await appContainers()).toEqual(before);
  },
);
