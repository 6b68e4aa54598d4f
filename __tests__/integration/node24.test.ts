import { execFileSync } from 'node:child_process';
import Docker from 'dockerode';
import { REGISTRY, runAction, uniqueRepo, workspaceFrom } from '../helpers/action';

// scripts/test.sh installs Node 24 (the runtime action.yml declares) and names it here.
const NODE24 = process.env.SAFE_DEPLOY_NODE24 ?? '';
const APP = `sd-node24-${Math.random().toString(16).slice(2, 8)}`;
const PORT = 19200 + Math.floor(Math.random() * 100);

afterAll(async () => {
  const docker = new Docker();
  for (const c of await docker.listContainers({
    all: true,
    filters: { label: [`safe-deploy.app=${APP}`] },
  })) {
    await docker.getContainer(c.Id).remove({ force: true });
  }
  const exec = await docker.getContainer('safe-deploy-proxy').exec({
    Cmd: [
      'sh',
      '-c',
      `rm -f /etc/caddy/sites/${APP}--*.caddy && caddy reload --config /etc/caddy/Caddyfile --adapter caddyfile`,
    ],
  });
  await exec.start({});
});

test('the bundle runs every stage under Node 24, as the runner runs it', async () => {
  expect(execFileSync(NODE24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  const run = await runAction({
    node: NODE24,
    cwd: workspaceFrom('hello-app'),
    inputs: {
      'lint-command': 'bash test/lint.sh',
      'test-command': 'bash test/run.sh',
      'junit-files': 'reports/*.xml',
      'coverage-file': 'reports/lcov.info',
      image: `${REGISTRY}/${uniqueRepo('node24')}`,
      'migrations-dir': 'migrations', // linted with the WASM parser, which must load under Node 24 too
      'deploy-to': 'docker',
      app: APP,
      network: 'host',
      'proxy-image': 'safe-deploy-test/caddy:latest',
      'public-port': String(PORT),
      'health-interval': '200ms',
      'drain-timeout': '1s',
    },
  });
  expect(run.code).toBe(0);
  expect(run.outputs.result).toBe('deployed');
  expect(JSON.parse(run.outputs.stages!).map((s: { status: string }) => s.status)).toEqual([
    'passed',
    'passed',
    'passed',
    'passed',
    'skipped',
  ]);
  expect(run.stderr).not.toMatch(/DeprecationWarning|ExperimentalWarning/);
  expect(await (await fetch(`http://127.0.0.1:${PORT}/`)).text()).toContain('Hello from hello-app');
});
