import { randomSha, runAction, type ActionRun } from '../helpers/action';
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

async function deploy(
  t: AppTarget,
  label: string,
  inputs: Record<string, string> = {},
): Promise<ActionRun & { sha: string }> {
  const sha = randomSha();
  const run = await runAction({
    cwd: appWorkspace(label),
    sha,
    inputs: { ...dockerDeployInputs(t, label), ...inputs },
  });
  return { ...run, sha };
}

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
