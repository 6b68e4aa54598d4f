import { GitHubDeployments, HISTORY_QUERY } from '../../src/github/deployments';
import { FORBIDDEN_BODY, startFakeGitHub, type FakeGitHub } from '../helpers/fake-github';

// A real HTTP round trip through @actions/github's Octokit to the local fake of GitHub's API.
const TOKEN = 'ghs_testTokenValue0123456789abcdef';
const SHA = 'a'.repeat(40);
const OLD_SHA = 'b'.repeat(40);
const LOG_URL = 'https://github.com/acme/app/actions/runs/42';
const PAYLOAD = {
  image_ref: `ghcr.io/acme/app@sha256:${'c'.repeat(64)}`,
  digest: `sha256:${'c'.repeat(64)}`,
  image: `ghcr.io/acme/app:${SHA}`,
  sha: SHA,
};

let fake: FakeGitHub;
let warnings: string[];

beforeAll(async () => {
  fake = await startFakeGitHub();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.reset();
  // Each request waits like a runner's round trip to GitHub, so a chatty client shows.
  fake.latencyMs = 100;
  warnings = [];
});

function client(apiUrl = fake.url): GitHubDeployments {
  return new GitHubDeployments({
    token: TOKEN,
    repository: 'acme/app',
    apiUrl,
    warn: (m) => warnings.push(m),
  });
}

const calls = (): string[] => fake.requests.map((r) => `${r.method} ${r.path}`);

function startParams(over: Partial<Parameters<GitHubDeployments['start']>[0]> = {}) {
  return {
    sha: SHA,
    environment: 'production',
    description: 'Deploy aaaaaaa',
    payload: PAYLOAD,
    logUrl: LOG_URL,
    ...over,
  };
}

test('start creates the deployment, then posts in_progress, with the token', async () => {
  const id = await client().start(startParams({ ref: 'refs/heads/main' }));

  expect(id).toEqual(expect.any(Number));
  expect(calls()).toEqual([
    'POST /repos/acme/app/deployments',
    `POST /repos/acme/app/deployments/${id}/statuses`,
  ]);
  const [create, status] = fake.requests;
  expect(create?.body).toEqual({
    ref: 'refs/heads/main',
    environment: 'production',
    description: 'Deploy aaaaaaa',
    payload: PAYLOAD,
    required_contexts: [],
    auto_merge: false,
    transient_environment: false,
  });
  expect(status?.body).toEqual({ state: 'in_progress', log_url: LOG_URL, description: 'Deploy aaaaaaa' });
  expect(status?.headers.accept).toBe('application/vnd.github+json');
  for (const r of fake.requests) expect(r.headers.authorization).toBe(`token ${TOKEN}`);
  expect(warnings).toEqual([]);
});

test('start defaults the ref to the sha', async () => {
  await client().start(startParams({ logUrl: undefined }));
  expect(fake.requests[0]?.body).toMatchObject({ ref: SHA });
  expect(fake.requests[1]?.body).toEqual({ state: 'in_progress', description: 'Deploy aaaaaaa' });
});

test('GITHUB_API_URL is the default base URL', async () => {
  const saved = process.env.GITHUB_API_URL;
  process.env.GITHUB_API_URL = `${fake.url}/`;
  try {
    const gh = new GitHubDeployments({ token: TOKEN, repository: 'acme/app', warn: (m) => warnings.push(m) });
    expect(await gh.start(startParams())).toEqual(expect.any(Number));
  } finally {
    if (saved === undefined) delete process.env.GITHUB_API_URL;
    else process.env.GITHUB_API_URL = saved;
  }
  expect(calls()[0]).toBe('POST /repos/acme/app/deployments');
});

test('finish success posts success, then marks the previous successful deployment inactive', async () => {
  const older = fake.seed({ sha: OLD_SHA, states: ['in_progress', 'success'] });
  const failed = fake.seed({ sha: OLD_SHA, states: ['in_progress', 'failure'] });
  fake.seed({ sha: OLD_SHA, environment: 'staging', states: ['success'] });
  const gh = client();
  const id = (await gh.start(startParams())) as number;
  fake.requests.length = 0;

  await gh.finish(id, 'success', {
    environment: 'production',
    environmentUrl: 'https://app.example.com',
    logUrl: LOG_URL,
    description: 'Deployed aaaaaaa',
  });

  expect(calls()).toEqual([
    `POST /repos/acme/app/deployments/${id}/statuses`,
    // One read of the history (this client had not read it yet); newest first: ours is skipped,
    // the failed one is passed over, the live one is deactivated.
    'POST /graphql',
    `POST /repos/acme/app/deployments/${older.id}/statuses`,
  ]);
  expect(fake.requests[0]?.body).toEqual({
    state: 'success',
    environment_url: 'https://app.example.com',
    log_url: LOG_URL,
    description: 'Deployed aaaaaaa',
    auto_inactive: false,
  });
  expect(fake.requests[2]?.body).toEqual({
    state: 'inactive',
    description: `Superseded by deployment ${id}`,
  });
  expect(older.statuses.at(-1)?.state).toBe('inactive');
  expect(failed.statuses.at(-1)?.state).toBe('failure');
  expect(warnings).toEqual([]);
});

test('finish success with no earlier deployment posts only its own status', async () => {
  const gh = client();
  const id = (await gh.start(startParams())) as number;
  fake.requests.length = 0;
  await gh.finish(id, 'success', { environment: 'production' });
  expect(calls()).toEqual([`POST /repos/acme/app/deployments/${id}/statuses`, 'POST /graphql']);
  expect(fake.requests[0]?.body).toEqual({ state: 'success', auto_inactive: false });
});

test('finish failure posts failure with log_url and description, and deactivates nothing', async () => {
  const live = fake.seed({ sha: OLD_SHA, states: ['success'] });
  const gh = client();
  const id = (await gh.start(startParams())) as number;
  fake.requests.length = 0;

  await gh.finish(id, 'failure', {
    environment: 'production',
    environmentUrl: 'https://app.example.com',
    logUrl: LOG_URL,
    description: 'x'.repeat(300),
  });

  expect(calls()).toEqual([`POST /repos/acme/app/deployments/${id}/statuses`]);
  const body = fake.requests[0]?.body as Record<string, string>;
  expect(body).toMatchObject({ state: 'failure', log_url: LOG_URL });
  expect(body).not.toHaveProperty('environment_url');
  // GitHub rejects descriptions over 140 characters.
  expect(body.description).toHaveLength(140);
  expect(live.statuses.at(-1)?.state).toBe('success');
});

test('history: deployments of the environment, newest first, with their latest state and image', async () => {
  const a = fake.seed({ sha: OLD_SHA, states: ['in_progress', 'success', 'inactive'], payload: PAYLOAD });
  const b = fake.seed({ sha: SHA, states: ['in_progress', 'success'], payload: { image_ref: 'r@sha256:1' } });
  fake.seed({ sha: SHA, environment: 'staging', states: ['success'] });
  // Other tools store the payload as a JSON string; a deployment may have no status yet.
  const c = fake.seed({ sha: SHA, payload: JSON.stringify({ image: 'x:1' }) as never });

  const h = await client().history('production');

  expect(h).toEqual([
    { id: c.id, sha: SHA, environment: 'production', createdAt: c.created_at, image: 'x:1' },
    {
      id: b.id,
      sha: SHA,
      environment: 'production',
      createdAt: b.created_at,
      state: 'success',
      imageRef: 'r@sha256:1',
    },
    {
      id: a.id,
      sha: OLD_SHA,
      environment: 'production',
      createdAt: a.created_at,
      state: 'inactive',
      imageRef: PAYLOAD.image_ref,
      image: PAYLOAD.image,
    },
  ]);
  // One round trip, however long the history: GitHub's GraphQL gives each latest status inline.
  expect(calls()).toEqual(['POST /graphql']);
  expect(fake.requests[0]?.body).toEqual({
    query: HISTORY_QUERY,
    variables: { owner: 'acme', name: 'app', environment: 'production', first: 30 },
  });
});

test('a whole deploy (history, start, finish) is 5 requests in 4 round trips, the history read once', async () => {
  const live = fake.seed({ sha: OLD_SHA, states: ['in_progress', 'success'], payload: PAYLOAD });
  for (let i = 0; i < 10; i++) fake.seed({ sha: OLD_SHA, states: ['in_progress', 'failure'] });
  const gh = client();
  gh.prefetchHistory('production');
  const history = await gh.history('production');
  expect(history).toHaveLength(11);
  expect(history.find((d) => d.state === 'success')?.id).toBe(live.id);
  const id = (await gh.start(startParams())) as number;
  const before = fake.maxInFlight;
  await gh.finish(id, 'success', { environment: 'production' });

  expect(calls().slice(0, 3)).toEqual([
    'POST /graphql',
    'POST /repos/acme/app/deployments',
    `POST /repos/acme/app/deployments/${id}/statuses`,
  ]);
  // The end: this one's success and the live one's inactive (found in the history read at the
  // start: no second read), sent together.
  expect(calls().slice(3).sort()).toEqual(
    [
      `POST /repos/acme/app/deployments/${id}/statuses`,
      `POST /repos/acme/app/deployments/${live.id}/statuses`,
    ].sort(),
  );
  expect(before).toBe(1);
  expect(fake.maxInFlight).toBe(2);
  expect(live.statuses.at(-1)?.state).toBe('inactive');
  expect(warnings).toEqual([]);
});

test('a prefetched history is taken by history() of the same environment, not read twice', async () => {
  fake.seed({ sha: SHA, states: ['success'] });
  const gh = client();
  gh.prefetchHistory('production');
  expect(await gh.history('production')).toEqual([expect.objectContaining({ sha: SHA, state: 'success' })]);
  expect(await gh.history('staging')).toEqual([]);
  expect(calls()).toEqual(['POST /graphql', 'POST /graphql']);
  expect((fake.requests[1]?.body as { variables: object }).variables).toMatchObject({
    environment: 'staging',
  });
});

test('a GitHub slower than the timeout is a warning after the timeout, not a held deploy', async () => {
  fake.latencyMs = 3_000;
  const gh = new GitHubDeployments({
    token: TOKEN,
    repository: 'acme/app',
    apiUrl: fake.url,
    timeoutMs: 300,
    warn: (m) => warnings.push(m),
  });
  const started = Date.now();
  await expect(gh.history('production')).resolves.toEqual([]);
  expect(Date.now() - started).toBeLessThan(2_500);
  expect(warnings).toEqual([
    expect.stringMatching(/history of production unavailable: no answer from .* within 0.3 s/),
  ]);
});

test('a GraphQL FORBIDDEN answer warns about the permission', async () => {
  fake.failNext('POST', /^\/graphql$/, 200, {
    data: { repository: null },
    errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration', path: ['repository'] }],
  });
  await expect(client().history('production')).resolves.toEqual([]);
  expect(warnings).toEqual([
    expect.stringMatching(/history of production unavailable: .*deployments: write/),
  ]);
});

test('the fake refuses GraphQL fields GitHub does not have, as GitHub does', async () => {
  const res = await fetch(`${fake.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `token ${TOKEN}` },
    body: JSON.stringify({
      query: HISTORY_QUERY.replace('commitOid', 'sha'),
      variables: { owner: 'acme', name: 'app', environment: 'production', first: 30 },
    }),
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({
    errors: [{ message: "Field 'sha' doesn't exist on type 'Deployment'" }],
  });
});

test('a 403 on create warns about deployments: write, returns undefined and posts no status', async () => {
  fake.failNext('POST', /^\/repos\/acme\/app\/deployments$/, 403, FORBIDDEN_BODY);

  await expect(client().start(startParams())).resolves.toBeUndefined();

  expect(calls()).toEqual(['POST /repos/acme/app/deployments']);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/deployments: write/);
  expect(warnings[0]).toMatch(/production/);
});

test('a 500 on create warns and returns undefined', async () => {
  fake.failNext('POST', /\/deployments$/, 500);
  await expect(client().start(startParams())).resolves.toBeUndefined();
  expect(calls()).toEqual(['POST /repos/acme/app/deployments']);
  expect(warnings).toEqual([expect.stringMatching(/GitHub answered 500: Server Error/)]);
});

test('a failed in_progress status still returns the id, with a warning', async () => {
  fake.failNext('POST', /\/statuses$/, 502);
  const id = await client().start(startParams());
  expect(id).toEqual(expect.any(Number));
  expect(warnings).toEqual([
    expect.stringMatching(new RegExp(`deployment ${id} not marked in_progress.*502`)),
  ]);
});

test('errors in finish and history become warnings', async () => {
  const gh = client();
  const id = (await gh.start(startParams())) as number;

  fake.failNext('POST', /\/statuses$/, 403, FORBIDDEN_BODY);
  await expect(gh.finish(id, 'success', { environment: 'production' })).resolves.toBeUndefined();
  expect(warnings.pop()).toMatch(/not marked success.*deployments: write/);

  fake.failNext('POST', /^\/graphql$/, 500);
  await expect(gh.finish(id, 'success', { environment: 'production' })).resolves.toBeUndefined();
  expect(warnings.pop()).toMatch(/previous GitHub deployment of production not marked inactive.*500/);

  fake.failNext('POST', /^\/graphql$/, 500);
  await expect(gh.history('production')).resolves.toEqual([]);
  expect(warnings.pop()).toMatch(/history of production unavailable.*500/);
  expect(warnings).toEqual([]);
});

test('an unreachable API warns without throwing', async () => {
  const closed = await startFakeGitHub();
  await closed.close();
  const gh = client(closed.url);
  await expect(gh.start(startParams())).resolves.toBeUndefined();
  await expect(gh.finish(1, 'failure', { environment: 'production' })).resolves.toBeUndefined();
  await expect(gh.history('production')).resolves.toEqual([]);
  expect(warnings).toHaveLength(3);
  for (const w of warnings) expect(w).toContain(`could not reach ${closed.url}`);
});

test('the token never appears in warnings, even when GitHub echoes it', async () => {
  fake.failNext('POST', /\/deployments$/, 422, { message: `Bad credentials ${TOKEN}` });
  fake.failNext('POST', /^\/graphql$/, 401, { message: `token ${TOKEN} is invalid` });
  const gh = client();
  await gh.start(startParams());
  await gh.history('production');
  expect(warnings).toHaveLength(2);
  for (const w of warnings) {
    expect(w).not.toContain(TOKEN);
    expect(w).toContain('***');
  }
});

test('a bad repository or missing token warns instead of throwing', async () => {
  const warn = (m: string) => warnings.push(m);
  const bad = new GitHubDeployments({ token: TOKEN, repository: 'acme', apiUrl: fake.url, warn });
  expect(await bad.start(startParams())).toBeUndefined();
  const none = new GitHubDeployments({ token: '', repository: 'acme/app', apiUrl: fake.url, warn });
  expect(await none.history('production')).toEqual([]);
  expect(warnings).toEqual([
    expect.stringMatching(/repository "acme" is not owner\/name/),
    expect.stringMatching(/no github-token/),
  ]);
  expect(fake.requests).toEqual([]);
});
