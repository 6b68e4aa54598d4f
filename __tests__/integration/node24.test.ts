import { execFileSync } from 'node:child_process';
import { runAction } from '../helpers/action';
import {
  appTarget,
  appWorkspace,
  dockerDeployInputs,
  live,
  portBlock,
  reloadProxy,
  removeApp,
  RUN,
  serving,
} from '../helpers/deploy-app';

// scripts/test.sh installs Node 24 (the runtime action.yml declares) and names it here.
const NODE24 = process.env.SAFE_DEPLOY_NODE24 ?? '';
const t = appTarget(`sd-node24-${RUN}`, portBlock(19200, 10)(), 'node24');

afterAll(async () => {
  await removeApp(t.app, 'production');
  await reloadProxy();
});

test('the bundle runs every stage under Node 24, as the runner runs it', async () => {
  expect(execFileSync(NODE24, ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./);
  const run = await runAction({
    node: NODE24,
    cwd: appWorkspace('node24'),
    inputs: {
      ...dockerDeployInputs(t, 'node24'),
      'lint-command': 'bash test/lint.sh',
      'test-command': 'bash test/run.sh',
      'junit-files': 'reports/*.xml',
      'coverage-file': 'reports/lcov.info',
      'migrations-dir': 'migrations', // linted with the WASM parser, which must load under Node 24 too
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
  expect(await live(t)).toEqual(serving('node24'));
});
