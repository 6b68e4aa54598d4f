import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { randomSha, registryTags, runAction, visibleLog, type ActionRun } from '../helpers/action';
import { databaseUrl, dropDatabases, freshDatabase } from '../helpers/database';
import {
  appTarget,
  appWorkspace,
  docker,
  dockerDeployInputs,
  expectCode,
  live,
  portBlock,
  reloadProxy,
  removeApp,
  RUN,
  serving,
  short,
  stage,
  testToken,
  type AppTarget,
} from '../helpers/deploy-app';
import { containersOf, containersOfSha } from '../helpers/docker-app';
import { startFakeGitHub, type FakeGitHub, type FakeRequest } from '../helpers/fake-github';

// Rollback as a button, end to end through dist/index.js: a re-run of an older run puts its commit
// back (gate and build skipped, migrations left as they are), `rollback-to`, `allow-rollback`,
// GitHub deployments against the local fake, the failure webhook, promotion of one image to a
// second environment, and a dry run. Docker target on the host network behind the shared proxy.

// A random block of ten public ports in 19500-19949 per run of this file.
const nextPort = portBlock(19500, 45);
let nextRunId = 700_000 + crypto.randomInt(0, 100_000);

const apps: Array<{ app: string; environments: string[] }> = [];
const closers: Array<() => Promise<void>> = [];

interface Target extends AppTarget {
  environment: string;
  fake: FakeGitHub;
  token: string;
}

async function fakeGitHub(): Promise<FakeGitHub> {
  const fake = await startFakeGitHub();
  closers.push(() => fake.close());
  return fake;
}

/** One app and environment on its own public port; `fake` lets several targets share one history. */
async function target(name: string, o: { environment?: string; fake?: FakeGitHub } = {}): Promise<Target> {
  const app = `sdr-${name}-${RUN}`;
  const environment = o.environment ?? 'production';
  const known = apps.find((a) => a.app === app);
  if (known) known.environments.push(environment);
  else apps.push({ app, environments: [environment] });
  return {
    ...appTarget(app, nextPort(), `rb-${name}`),
    environment,
    fake: o.fake ?? (await fakeGitHub()),
    token: testToken(),
  };
}

interface RunSpec {
  /** Page and /version content of the build. */
  label: string;
  sha?: string;
  /** migrations/ of the workspace (replaces the example's own). */
  migrations?: Record<string, string>;
  inputs?: Record<string, string>;
  /** A re-run: the original run's id and a later attempt. */
  runId?: string;
  attempt?: number;
  eventName?: string;
}

interface Run extends ActionRun {
  sha: string;
  label: string;
  ws: string;
  runId: string;
  /** The GitHub API requests this run made. */
  requests: FakeRequest[];
}

/** A fresh checkout of the example app whose page and /version say `label`. */
function workspace(label: string, migrations?: Record<string, string>): string {
  const ws = appWorkspace(label);
  if (migrations) {
    fs.rmSync(path.join(ws, 'migrations'), { recursive: true, force: true });
    fs.mkdirSync(path.join(ws, 'migrations'));
    for (const [name, sql] of Object.entries(migrations))
      fs.writeFileSync(path.join(ws, 'migrations', name), sql);
  }
  return ws;
}

async function run(t: Target, spec: RunSpec): Promise<Run> {
  const sha = spec.sha ?? randomSha();
  const ws = workspace(spec.label, spec.migrations);
  const runId = spec.runId ?? String(nextRunId++);
  const before = t.fake.requests.length;
  const result = await runAction({
    cwd: ws,
    sha,
    eventName: spec.eventName,
    env: {
      GITHUB_API_URL: t.fake.url,
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: String(spec.attempt ?? 1),
    },
    inputs: {
      environment: t.environment,
      ...dockerDeployInputs(t, spec.label),
      'github-token': t.token,
      ...spec.inputs,
    },
  });
  return { ...result, sha, label: spec.label, ws, runId, requests: t.fake.requests.slice(before) };
}

/** The requests that write: POSTs, but not GraphQL queries (a POST that only reads). */
const posts = (r: Run, re: RegExp): FakeRequest[] =>
  r.requests.filter((q) => q.method === 'POST' && re.test(q.path) && !isGraphQLQuery(q));
const isGraphQLQuery = (q: FakeRequest): boolean =>
  q.path === '/graphql' && /^\s*query\b/.test(String((q.body as { query?: unknown } | undefined)?.query));
const CREATE = /\/repos\/acme\/hello-app\/deployments$/;
const statusesOf = (id: number): RegExp => new RegExp(`/repos/acme/hello-app/deployments/${id}/statuses$`);

async function appliedInDb(db: string): Promise<string[]> {
  const c = new pg.Client({ connectionString: databaseUrl(db) });
  await c.connect();
  try {
    const rows = (await c.query<{ name: string }>('SELECT name FROM safe_deploy_migrations ORDER BY name'))
      .rows;
    return rows.map((r) => r.name);
  } finally {
    await c.end();
  }
}

afterEach(async () => {
  for (const { app, environments } of apps.splice(0)) {
    for (const env of environments) await removeApp(app, env);
  }
  for (const close of closers.splice(0)) await close();
  await dropDatabases();
});

afterAll(reloadProxy);

const GATE = { 'test-command': 'echo tests-ran > .tests-ran' };
const M001 = { '001_greetings.sql': 'CREATE TABLE greetings (id bigint PRIMARY KEY, body text);\n' };
const M002 = { '002_visits.sql': 'CREATE TABLE visits (id bigint PRIMARY KEY, path text);\n' };

test('re-running an older run rolls back: gate and build skipped, migrations kept, GitHub deployment recorded', async () => {
  const t = await target('rerun');
  const db = await freshDatabase('sd_rb_');
  const migrate = { 'database-url': db.url, 'migrations-dir': 'migrations' };

  const a = await run(t, { label: 'A', migrations: M001, inputs: { ...GATE, ...migrate } });
  expectCode(a, 0);
  expect(fs.existsSync(path.join(a.ws, '.tests-ran'))).toBe(true);
  expect(a.outputs).toMatchObject({ result: 'deployed', rollback: 'false', 'build-skipped': 'false' });
  expect(JSON.parse(a.outputs['migrations-applied']!)).toEqual(['001_greetings.sql']);

  const b = await run(t, { label: 'B', migrations: { ...M001, ...M002 }, inputs: { ...GATE, ...migrate } });
  expectCode(b, 0);
  expect(b.outputs).toMatchObject({ result: 'deployed', rollback: 'false', 'previous-sha': a.sha });
  expect(JSON.parse(b.outputs['migrations-applied']!)).toEqual(['002_visits.sql']);
  expect(await live(t)).toEqual(serving('B'));
  const bDeployment = t.fake.deployments.find((d) => d.sha === b.sha)!;
  expect(bDeployment.statuses.at(-1)?.state).toBe('success');

  // GitHub's "Re-run all jobs": same run id and commit, a fresh checkout of the same content.
  const again = await run(t, {
    label: 'A',
    sha: a.sha,
    runId: a.runId,
    attempt: 2,
    migrations: M001,
    inputs: { ...GATE, ...migrate },
  });
  expectCode(again, 0);
  expect(again.outputs).toMatchObject({
    result: 'rolled-back',
    rollback: 'true',
    'build-skipped': 'true',
    sha: a.sha,
    digest: a.outputs.digest,
    'image-ref': a.outputs['image-ref'],
    'previous-sha': b.sha,
    'auto-rolled-back': 'false',
    url: t.base,
  });
  expect(stage(again, 'gate')).toMatchObject({ status: 'skipped' });
  expect(stage(again, 'gate')?.detail).toContain('already passed for this commit');
  expect(fs.existsSync(path.join(again.ws, '.tests-ran'))).toBe(false); // the test command did not run
  expect(stage(again, 'build')).toMatchObject({ status: 'passed' });
  expect(stage(again, 'migrate')?.status).toBe('passed');
  expect(stage(again, 'migrate')?.detail).toMatch(/database is ahead of this commit/);
  expect(JSON.parse(again.outputs['migrations-applied']!)).toEqual([]);
  expect(await appliedInDb(db.name)).toEqual(['001_greetings.sql', '002_visits.sql']);
  expect(stage(again, 'deploy')?.status).toBe('passed');
  expect(await live(t)).toEqual(serving('A'));

  expect(again.summary).toContain(`Rolled back production from ${short(b.sha)} to ${short(a.sha)}`);
  expect(again.summary).toContain('The database is ahead of this commit');
  expect(again.summary).toMatch(/\| `002_visits\.sql` \| [^|]+ \| yes \|/);
  expect(again.summary).toContain(`| Rollback | yes: \`${short(a.sha)}\` was live here before |`);

  // The running container is A's image, by digest.
  const running = (await containersOf(docker, t.app)).filter((c) => c.state === 'running');
  expect(running).toHaveLength(1);
  const info = await docker.getContainer(running[0]!.name).inspect();
  expect(info.Config.Labels['safe-deploy.sha']).toBe(a.sha);
  expect(info.Config.Image).toBe(a.outputs['image-ref']);

  // GitHub: one deployment of A's commit and image, in_progress then success, B marked inactive.
  const created = posts(again, CREATE);
  expect(created).toHaveLength(1);
  expect(created[0]!.body).toMatchObject({
    ref: a.sha,
    environment: 'production',
    payload: { image_ref: a.outputs['image-ref'], sha: a.sha },
  });
  expect((created[0]!.body as { description: string }).description).toContain(`roll back to ${short(a.sha)}`);
  const deployment = t.fake.deployments.at(-1)!;
  expect(deployment.sha).toBe(a.sha);
  expect(again.outputs['deployment-id']).toBe(String(deployment.id));
  const own = posts(again, statusesOf(deployment.id)).map((q) => q.body as Record<string, unknown>);
  expect(own.map((s) => s.state)).toEqual(['in_progress', 'success']);
  expect(own[1]).toMatchObject({ environment_url: t.base });
  const inactive = posts(again, statusesOf(bDeployment.id)).map((q) => q.body as Record<string, unknown>);
  expect(inactive).toEqual([expect.objectContaining({ state: 'inactive' })]);
  expect(bDeployment.statuses.at(-1)?.state).toBe('inactive');
  // One active deployment in the environment: the rollback's.
  expect(t.fake.deployments.filter((d) => d.statuses.at(-1)?.state === 'success').map((d) => d.id)).toEqual([
    deployment.id,
  ]);
  for (const q of again.requests) expect(q.headers.authorization).toBe(`token ${t.token}`);
  expect(visibleLog(again)).not.toContain(t.token);
});

test('rollback-to: previous puts the version before the live one back, skipping gate, build and migrate', async () => {
  const t = await target('to-prev');
  const a = await run(t, { label: 'A' });
  expectCode(a, 0);
  const b = await run(t, { label: 'B' });
  expectCode(b, 0);
  expect(await live(t)).toEqual(serving('B'));

  // A dispatch from main, whose head is B.
  const back = await run(t, {
    label: 'B',
    sha: b.sha,
    eventName: 'workflow_dispatch',
    inputs: { 'rollback-to': 'previous', ...GATE },
  });
  expectCode(back, 0);
  expect(back.outputs).toMatchObject({
    result: 'rolled-back',
    rollback: 'true',
    sha: a.sha,
    'image-ref': a.outputs['image-ref'],
    'previous-sha': b.sha,
  });
  for (const name of ['gate', 'build', 'migrate']) {
    expect(stage(back, name)?.status).toBe('skipped');
    expect(stage(back, name)?.detail).toContain('rollback-to');
  }
  expect(fs.existsSync(path.join(back.ws, '.tests-ran'))).toBe(false);
  expect(stage(back, 'deploy')?.status).toBe('passed');
  expect(await live(t)).toEqual(serving('A'));
  // The retained container of A was restarted: nothing new was started.
  expect(await containersOf(docker, t.app)).toEqual(
    expect.arrayContaining([
      { name: `${t.app}-${short(a.sha)}-1`, state: 'running' },
      { name: `${t.app}-${short(b.sha)}-1`, state: 'exited' },
    ]),
  );
  expect(await containersOf(docker, t.app)).toHaveLength(2);
  expect(back.summary).toContain(`Rolled back production from ${short(b.sha)} to ${short(a.sha)}`);
  const created = posts(back, CREATE);
  expect(created).toHaveLength(1);
  expect(created[0]!.body).toMatchObject({ ref: a.sha, payload: { image_ref: a.outputs['image-ref'] } });
});

test('allow-rollback: false refuses a re-run of an older commit; the newer version keeps serving', async () => {
  const t = await target('no-rb');
  const a = await run(t, { label: 'A', inputs: GATE });
  expectCode(a, 0);
  const b = await run(t, { label: 'B', inputs: GATE });
  expectCode(b, 0);
  const aBefore = (await containersOfSha(docker, t, a.sha)).map((c) => [c.Id, c.State]);
  expect(aBefore).toEqual([[expect.any(String), 'exited']]);

  const again = await run(t, {
    label: 'A',
    sha: a.sha,
    runId: a.runId,
    attempt: 2,
    inputs: { ...GATE, 'allow-rollback': 'false' },
  });
  expectCode(again, 1);
  expect(again.outputs).toMatchObject({ result: 'failed', rollback: 'false', 'deployment-id': '' });
  expect(stage(again, 'deploy')?.status).toBe('failed');
  expect(stage(again, 'deploy')?.detail).toContain('allow-rollback is false');
  expect(stage(again, 'deploy')?.detail).toContain(`put ${short(a.sha)} back live over ${short(b.sha)}`);
  expect(stage(again, 'verify')?.status).toBe('skipped');
  expect(await live(t)).toEqual(serving('B'));
  expect((await containersOfSha(docker, t, a.sha)).map((c) => [c.Id, c.State])).toEqual(aBefore);
  expect(posts(again, CREATE)).toEqual([]);
  expect(visibleLog(again)).toMatch(/::error::deploy failed: .*allow-rollback is false/);
});

test('GitHub refusing the deployment record (403, then 500) does not fail the deploy', async () => {
  const t = await target('gh-err');
  t.fake.failNext('POST', CREATE, 403);
  const a = await run(t, { label: 'A' });
  expectCode(a, 0);
  expect(a.outputs).toMatchObject({ result: 'deployed', 'deployment-id': '' });
  expect(visibleLog(a)).toMatch(
    /::warning::GitHub deployment for production not created: .*`deployments: write`/,
  );
  expect(posts(a, /\/statuses$/)).toEqual([]);
  expect(await live(t)).toEqual(serving('A'));

  t.fake.failAlways('POST', CREATE, 500);
  const b = await run(t, { label: 'B' });
  expectCode(b, 0);
  expect(b.outputs).toMatchObject({ result: 'deployed', 'deployment-id': '', 'previous-sha': a.sha });
  expect(visibleLog(b)).toMatch(
    /::warning::GitHub deployment for production not created: GitHub answered 500/,
  );
  expect(posts(b, CREATE).length).toBeGreaterThanOrEqual(1);
  expect(posts(b, /\/statuses$/)).toEqual([]);
  expect(await live(t)).toEqual(serving('B'));
  for (const r of [a, b]) expect(visibleLog(r)).not.toContain(t.token);
});

test('notify-webhook: a failed gate posts one message; the webhook URL never shows; notify-on: never is silent', async () => {
  const received: Array<{ url?: string; contentType?: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        url: req.url,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/SECRETPATH123`;
  const t = await target('notify', { environment: 'canary' });

  const failed = await run(t, { label: 'A', inputs: { 'test-command': 'exit 1', 'notify-webhook': hook } });
  expectCode(failed, 1);
  expect(failed.outputs.result).toBe('failed');
  expect(stage(failed, 'gate')?.status).toBe('failed');
  expect(received).toHaveLength(1);
  expect(received[0]!.url).toBe('/hooks/SECRETPATH123');
  expect(received[0]!.contentType).toMatch(/^application\/json/);
  const message = JSON.parse(received[0]!.body) as { text: string; blocks: unknown[] };
  expect(typeof message.text).toBe('string');
  expect(Array.isArray(message.blocks)).toBe(true);
  expect(message.text).toContain('canary');
  expect(message.text).toContain('failed at gate');
  expect(message.text).toContain(`main @ ${short(failed.sha)} by octocat`);
  const blocks = JSON.stringify(message.blocks);
  for (const part of ['canary', 'failed', 'gate', 'main', short(failed.sha), 'octocat'])
    expect(blocks).toContain(part);
  for (const text of [visibleLog(failed), JSON.stringify(failed.outputs), failed.summary]) {
    expect(text).not.toContain('SECRETPATH123');
    expect(text).not.toContain(hook);
  }

  const quiet = await run(t, {
    label: 'A',
    inputs: { 'test-command': 'exit 1', 'notify-webhook': hook, 'notify-on': 'never' },
  });
  expectCode(quiet, 1);
  expect(received).toHaveLength(1);
  expect(visibleLog(quiet)).not.toContain('SECRETPATH123');
});

test('promotion: the image staging ran is deployed to production as is (no gate, no build)', async () => {
  const fake = await fakeGitHub();
  const staging = await target('promo', { environment: 'staging', fake });
  const production = { ...(await target('promo', { environment: 'production', fake })), repo: staging.repo };
  const sha = randomSha();

  const first = await run(staging, { label: 'P', sha, inputs: GATE });
  expectCode(first, 0);
  expect(first.outputs).toMatchObject({ result: 'deployed', 'build-skipped': 'false' });
  expect(stage(first, 'gate')?.status).toBe('passed');
  expect(await live(staging)).toEqual(serving('P'));

  const second = await run(production, { label: 'P', sha, inputs: GATE });
  expectCode(second, 0);
  expect(second.outputs).toMatchObject({
    result: 'deployed',
    rollback: 'false',
    'build-skipped': 'true',
    sha,
    digest: first.outputs.digest,
    'image-ref': first.outputs['image-ref'],
    url: production.base,
  });
  expect(second.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(stage(second, 'gate')?.status).toBe('skipped');
  expect(stage(second, 'gate')?.detail).toContain('already passed for this commit');
  expect(fs.existsSync(path.join(second.ws, '.tests-ran'))).toBe(false);
  expect(await live(production)).toEqual(serving('P'));
  expect(await live(staging)).toEqual(serving('P'));
  const [info] = await containersOfSha(docker, production, sha);
  expect(info?.State).toBe('running');
  expect(info?.Image).toBe(first.outputs['image-ref']);
  expect(posts(second, CREATE).map((q) => q.body)).toEqual([
    expect.objectContaining({ ref: sha, environment: 'production' }),
  ]);
  // Production's history is its own: staging's deployment stays active.
  expect(fake.deployments.map((d) => [d.environment, d.statuses.at(-1)?.state])).toEqual([
    ['staging', 'success'],
    ['production', 'success'],
  ]);
});

test('dry-run after a deploy plans the next one and changes nothing', async () => {
  const t = await target('dry');
  const a = await run(t, { label: 'A' });
  expectCode(a, 0);
  const aContainers = await containersOf(docker, t.app);

  const dry = await run(t, { label: 'B', inputs: { 'dry-run': 'true' } });
  expectCode(dry, 0);
  expect(dry.outputs).toMatchObject({ result: 'planned', rollback: 'false', 'deployment-id': '' });
  expect(stage(dry, 'build')).toMatchObject({ status: 'skipped' });
  expect(stage(dry, 'build')?.detail).toContain('dry run: would build');
  expect(stage(dry, 'deploy')).toMatchObject({ status: 'skipped' });
  expect(stage(dry, 'deploy')?.detail).toContain(`would put ${short(dry.sha)} live`);
  expect(stage(dry, 'verify')?.status).toBe('skipped');
  expect(await live(t)).toEqual(serving('A'));
  expect(await containersOf(docker, t.app)).toEqual(aContainers);
  expect(await registryTags(t.repo)).not.toContain(dry.sha);
  expect(posts(dry, /./)).toEqual([]);
  expect(dry.summary).toContain('📝 Dry run for production: nothing changed');
  expect(dry.summary).toContain(`| Live before | \`${short(a.sha)}\``);
  expect(dry.summary).toContain(`| Would go live | \`${short(dry.sha)}\` |`);
  expect(dry.summary).toContain('Plan (nothing was changed):');
  expect(dry.summary).toMatch(new RegExp(`1\\. start ${t.app}-${short(dry.sha)}-<n> from `));
});
