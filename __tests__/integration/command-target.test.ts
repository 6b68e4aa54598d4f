import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  REGISTRY,
  randomSha,
  runAction,
  tempDir,
  uniqueRepo,
  visibleLog,
  type ActionRun,
} from '../helpers/action';
import {
  appWorkspace,
  docker,
  expectCode,
  portBlock,
  RUN,
  short,
  stage,
  testToken,
} from '../helpers/deploy-app';
import { fetchText, removeLabelled } from '../helpers/docker-app';
import { startFakeGitHub, type FakeGitHub, type FakeRequest } from '../helpers/fake-github';

// `deploy-to: command` end to end through dist/index.js: the user's command is a real one (the
// docker CLI starting the example app on the host network), GitHub's deployment history (the local
// fake) is the only memory of what was live, and values reach the command only as variables.
const LABEL = `sd-cmd-test=${RUN}`;
// A random block of ten ports in 19950-19999: where each test's app listens (no proxy).
const nextPort = portBlock(19950, 5);
let nextRunId = 800_000 + crypto.randomInt(0, 100_000);
const closers: Array<() => Promise<void>> = [];

interface Target {
  name: string;
  port: number;
  repo: string;
  /** The file both commands append one line to per call. */
  record: string;
  /** The container the commands (re)create: cmd-<run>-<name>-<environment>. */
  container: string;
  fake: FakeGitHub;
  token: string;
}

/** Appends `<what> SHA=… PREVIOUS_SHA=… …` to the record, then replaces the container with $IMAGE. */
function command(t: Target, what: 'deploy' | 'rollback'): string {
  return [
    `echo "${what} SHA=$SHA PREVIOUS_SHA=$PREVIOUS_SHA IMAGE_TAG=$IMAGE_TAG IMAGE=$IMAGE PREVIOUS_IMAGE=$PREVIOUS_IMAGE ENVIRONMENT=$ENVIRONMENT" >> '${t.record}'`,
    `docker rm -f "cmd-${RUN}-${t.name}-$ENVIRONMENT" >/dev/null 2>&1 || true`,
    `docker run -d --name "cmd-${RUN}-${t.name}-$ENVIRONMENT" --label ${LABEL} --network host -e PORT=${t.port} "$IMAGE"`,
  ].join('\n');
}

async function target(name: string): Promise<Target> {
  const fake = await startFakeGitHub();
  closers.push(() => fake.close());
  return {
    name,
    port: nextPort(),
    repo: uniqueRepo(`cmd-${name}`),
    record: path.join(tempDir('sd-cmd-record-'), 'calls.txt'),
    container: `cmd-${RUN}-${name}-production`,
    fake,
    token: testToken(),
  };
}

interface Run extends ActionRun {
  sha: string;
  label: string;
  requests: FakeRequest[];
}

interface RunSpec {
  label: string;
  inputs?: Record<string, string>;
  ref?: string;
  env?: Record<string, string>;
  event?: Record<string, unknown>;
}

async function run(t: Target, spec: RunSpec): Promise<Run> {
  const sha = randomSha();
  const ws = appWorkspace(spec.label);
  const before = t.fake.requests.length;
  const result = await runAction({
    cwd: ws,
    sha,
    ref: spec.ref,
    event: spec.event,
    env: { GITHUB_API_URL: t.fake.url, GITHUB_RUN_ID: String(nextRunId++), ...spec.env },
    inputs: {
      image: `${REGISTRY}/${t.repo}`,
      'build-args': `VERSION=${spec.label}`,
      'deploy-to': 'command',
      'deploy-command': command(t, 'deploy'),
      'health-url': `http://127.0.0.1:${t.port}/health`,
      'health-timeout': '10s',
      'health-interval': '200ms',
      'github-token': t.token,
      ...spec.inputs,
    },
  });
  return { ...result, sha, label: spec.label, requests: t.fake.requests.slice(before) };
}

/** The record's lines as `[what, {SHA, PREVIOUS_SHA, …}]`. */
function calls(t: Target): Array<[string, Record<string, string>]> {
  if (!fs.existsSync(t.record)) return [];
  return fs
    .readFileSync(t.record, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [what = '', ...pairs] = line.split(' ');
      return [
        what,
        Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])),
      ];
    });
}

/** What the app answers at /version, waiting a little for a container that was just (re)started. */
async function version(t: Target, expected: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 25; i++) {
    const r = await fetchText(`http://127.0.0.1:${t.port}/version`);
    last = `${r.status} ${r.body}`;
    if (last === `200 ${expected}`) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return last;
}

const CREATE = /\/repos\/acme\/hello-app\/deployments$/;
const created = (r: Run): Array<Record<string, unknown>> =>
  r.requests
    .filter((q) => q.method === 'POST' && CREATE.test(q.path))
    .map((q) => q.body as Record<string, unknown>);

afterEach(async () => {
  await removeLabelled(docker, LABEL);
  for (const close of closers.splice(0)) await close();
});

test('deploy-command puts the image live by digest; the next deploy gets PREVIOUS_* from GitHub deployments', async () => {
  const t = await target('deploy');
  const v1 = await run(t, { label: 'v1' });
  expectCode(v1, 0);
  const ref1 = v1.outputs['image-ref']!;
  expect(ref1).toMatch(new RegExp(`^${REGISTRY}/${t.repo}@sha256:[0-9a-f]{64}$`));
  expect(v1.outputs).toMatchObject({
    result: 'deployed',
    sha: v1.sha,
    'previous-sha': '',
    url: `http://127.0.0.1:${t.port}`,
  });
  expect(stage(v1, 'deploy')).toMatchObject({
    status: 'passed',
    detail: `deploy-command put ${short(v1.sha)} live`,
  });
  expect(stage(v1, 'verify')).toMatchObject({ status: 'passed', detail: 'health-url answered' });
  expect(calls(t)).toEqual([
    [
      'deploy',
      {
        SHA: v1.sha,
        PREVIOUS_SHA: '',
        IMAGE_TAG: `${REGISTRY}/${t.repo}:${v1.sha}`,
        IMAGE: ref1,
        PREVIOUS_IMAGE: '',
        ENVIRONMENT: 'production',
      },
    ],
  ]);
  expect(await version(t, 'v1')).toBe('200 v1');
  expect((await docker.getContainer(t.container).inspect()).Config.Image).toBe(ref1);
  expect(created(v1)).toEqual([
    expect.objectContaining({ ref: v1.sha, payload: expect.objectContaining({ image_ref: ref1 }) }),
  ]);
  expect(v1.summary).toContain('| Target | deploy-command |');

  const v2 = await run(t, { label: 'v2' });
  expectCode(v2, 0);
  const ref2 = v2.outputs['image-ref']!;
  expect(v2.outputs).toMatchObject({
    result: 'deployed',
    rollback: 'false',
    'previous-sha': v1.sha,
    'previous-image': ref1,
  });
  expect(calls(t)[1]).toEqual([
    'deploy',
    {
      SHA: v2.sha,
      PREVIOUS_SHA: v1.sha,
      IMAGE_TAG: `${REGISTRY}/${t.repo}:${v2.sha}`,
      IMAGE: ref2,
      PREVIOUS_IMAGE: ref1,
      ENVIRONMENT: 'production',
    },
  ]);
  // The command target asked GitHub, not a host, what was live.
  expect(v2.requests[0]).toMatchObject({
    method: 'POST',
    path: '/graphql',
    body: { variables: expect.objectContaining({ environment: 'production' }) },
  });
  // A whole deploy talks to GitHub 5 times in 4 round trips: the history (once, however long it
  // is), the new deployment and its in_progress, then success and the previous one inactive together.
  const v2Id = t.fake.deployments[1]!.id;
  const paths = v2.requests.map((q) => `${q.method} ${q.path}`);
  expect(paths.slice(0, 3)).toEqual([
    'POST /graphql',
    'POST /repos/acme/hello-app/deployments',
    `POST /repos/acme/hello-app/deployments/${v2Id}/statuses`,
  ]);
  expect(paths.slice(3).sort()).toEqual(
    [
      `POST /repos/acme/hello-app/deployments/${v2Id}/statuses`,
      `POST /repos/acme/hello-app/deployments/${t.fake.deployments[0]!.id}/statuses`,
    ].sort(),
  );
  expect(t.fake.maxInFlight).toBe(2);
  expect(await version(t, 'v2')).toBe('200 v2');
  expect((await docker.getContainer(t.container).inspect()).Config.Image).toBe(ref2);
  expect(t.fake.deployments.map((d) => [d.sha, d.statuses.at(-1)?.state])).toEqual([
    [v1.sha, 'inactive'],
    [v2.sha, 'success'],
  ]);
  expect(v2.outputs['deployment-id']).toBe(String(t.fake.deployments[1]!.id));
  expect(v2.summary).toContain(`| Live before | \`${short(v1.sha)}\` |`);
});

test('a failed verify without rollback-command runs deploy-command again with the previous image', async () => {
  const t = await target('redeploy');
  const v1 = await run(t, { label: 'v1' });
  expectCode(v1, 0);
  const ref1 = v1.outputs['image-ref']!;
  const v2 = await run(t, { label: 'v2', inputs: { 'smoke-command': 'exit 1' } });
  expectCode(v2, 1);
  expect(v2.outputs).toMatchObject({
    result: 'rolled-back',
    'auto-rolled-back': 'true',
    rollback: 'false',
    'previous-sha': v1.sha,
  });
  expect(stage(v2, 'deploy')?.status).toBe('passed');
  expect(stage(v2, 'verify')?.status).toBe('failed');
  expect(stage(v2, 'verify')?.detail).toBe(
    `smoke-command exited with code 1; rolled back automatically to ${short(v1.sha)}`,
  );
  const log = calls(t);
  expect(log.map(([what, env]) => [what, env.SHA, env.PREVIOUS_SHA])).toEqual([
    ['deploy', v1.sha, ''],
    ['deploy', v2.sha, v1.sha],
    ['deploy', v1.sha, v2.sha], // the rollback: previous image, PREVIOUS_* = the failed one
  ]);
  expect(log[2]![1]).toMatchObject({ IMAGE: ref1, PREVIOUS_IMAGE: v2.outputs['image-ref'] });
  expect((await docker.getContainer(t.container).inspect()).Config.Image).toBe(ref1);
  expect(await version(t, 'v1')).toBe('200 v1');
  expect(v2.summary).toContain(`| Automatic rollback | restored \`${short(v1.sha)}\` |`);
  expect(t.fake.deployments.map((d) => [d.sha, d.statuses.at(-1)?.state])).toEqual([
    [v1.sha, 'success'],
    [v2.sha, 'failure'],
  ]);
});

test('a failed verify with rollback-command runs that, with the previous image', async () => {
  const t = await target('rollback');
  const rollback = { 'rollback-command': command(t, 'rollback') };
  const v1 = await run(t, { label: 'v1', inputs: rollback });
  expectCode(v1, 0);
  const ref1 = v1.outputs['image-ref']!;
  const v2 = await run(t, { label: 'v2', inputs: { ...rollback, 'smoke-command': 'exit 1' } });
  expectCode(v2, 1);
  expect(v2.outputs).toMatchObject({ result: 'rolled-back', 'auto-rolled-back': 'true' });
  const log = calls(t);
  expect(log.map(([what, env]) => [what, env.SHA, env.PREVIOUS_SHA])).toEqual([
    ['deploy', v1.sha, ''],
    ['deploy', v2.sha, v1.sha],
    ['rollback', v1.sha, v2.sha],
  ]);
  expect(log[2]![1]).toMatchObject({
    IMAGE: ref1,
    IMAGE_TAG: `${REGISTRY}/${t.repo}:${v1.sha}`,
    ENVIRONMENT: 'production',
  });
  expect(visibleLog(v2)).toContain(`Running rollback-command for ${short(v1.sha)}`);
  expect((await docker.getContainer(t.container).inspect()).Config.Image).toBe(ref1);
  expect(await version(t, 'v1')).toBe('200 v1');
});

test('hostile branch, head ref, actor and commit message never run; the command still does', async () => {
  const t = await target('hostile');
  const marker = path.join('/tmp', `sd-pwned-${RUN}-${crypto.randomBytes(3).toString('hex')}`);
  const markers = ['ref', 'head', 'msg', 'tick', 'actor'].map((m) => `${marker}-${m}`);
  const v1 = await run(t, {
    label: 'v1',
    ref: `refs/heads/$(touch ${marker}-ref)`,
    env: { GITHUB_HEAD_REF: `$(touch ${marker}-head)`, GITHUB_ACTOR: `$(touch ${marker}-actor)` },
    event: {
      repository: { default_branch: 'main' },
      head_commit: { message: `fix \`touch ${marker}-tick\` and $(touch ${marker}-msg)\n\n"quoted" 'too'` },
    },
    inputs: {
      'deploy-on': '**',
      'test-command': 'echo "testing on $GITHUB_REF"',
      'smoke-command': 'echo "smoke for $GITHUB_REF against $URL"',
    },
  });
  expectCode(v1, 0);
  for (const m of markers) expect(fs.existsSync(m)).toBe(false);
  expect(v1.outputs.result).toBe('deployed');
  expect(calls(t).map(([what, env]) => [what, env.SHA])).toEqual([['deploy', v1.sha]]);
  expect(await version(t, 'v1')).toBe('200 v1');
  // The values arrive as text: printed, never executed.
  expect(visibleLog(v1)).toContain(`testing on refs/heads/$(touch ${marker}-ref)`);
  expect(visibleLog(v1)).toContain(
    `smoke for refs/heads/$(touch ${marker}-ref) against http://127.0.0.1:${t.port}/health`,
  );
  expect(v1.summary).toContain(`$(touch ${marker}-ref)`);
  for (const m of markers) expect(fs.existsSync(m)).toBe(false);
});
