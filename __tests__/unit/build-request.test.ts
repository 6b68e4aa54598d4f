import { InputError, parseInputs } from '../../src/inputs';
import { cacheFromCandidates, eventCommits } from '../../src/build/cache-from';
import { buildRows, type BuildInfo } from '../../src/build/describe';
import { buildQuery, classicReason, type BuildRequest, type Builder } from '../../src/build/build-image';
import { credentialsFor, sessionHeaders } from '../../src/build/session';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const ZERO = '0'.repeat(40);

describe('cache-from refs', () => {
  test.each([
    ['parents, best first', [A, B], [`r:${A}`, `r:${B}`]],
    ['the commit itself and duplicates are dropped', [C, A, A.toUpperCase()], [`r:${A}`]],
    ["a new branch's all-zero before and junk are dropped", [ZERO, 'HEAD~1', '', B], [`r:${B}`]],
    ['nothing known', [], []],
  ])('%s', (_why, commits, refs) => {
    expect(cacheFromCandidates('r', C, commits)).toEqual(refs);
  });

  test.each([
    ['push', { before: A, after: C }, [A]],
    ['pull request', { pull_request: { base: { sha: B }, head: { sha: C } } }, [B]],
    ['workflow_dispatch', { inputs: {} }, []],
    ['odd payload', { before: 42, pull_request: { base: null } }, []],
  ])('%s event names %j', (_event, payload, commits) => {
    expect(eventCommits(payload as Record<string, unknown>)).toEqual(commits);
  });
});

const req: BuildRequest = {
  contextDir: '/ctx',
  files: ['Dockerfile'],
  dockerfile: 'Dockerfile',
  tag: 'r:sha',
  buildArgs: { A: '1' },
  labels: { l: 'v' },
  secrets: new Map([['tok', 'never-in-the-query']]),
  cacheFrom: ['r:p1', 'r:p2'],
  inlineCache: true,
};

describe('POST /build query', () => {
  test.each<[string, BuildRequest, Builder, Record<string, string | boolean>]>([
    [
      'BuildKit with registry cache',
      req,
      { kind: 'buildkit', session: 'sid' },
      {
        t: 'r:sha',
        dockerfile: 'Dockerfile',
        buildargs: '{"A":"1","BUILDKIT_INLINE_CACHE":"1"}',
        labels: '{"l":"v"}',
        rm: true,
        forcerm: true,
        version: '2',
        session: 'sid',
        cachefrom: '["r:p1","r:p2"]',
      },
    ],
    [
      'BuildKit, build-cache none, a target, an engine without a bridge',
      { ...req, cacheFrom: [], inlineCache: false, target: 'prod' },
      { kind: 'buildkit', session: 'sid', networkMode: 'host' },
      {
        t: 'r:sha',
        dockerfile: 'Dockerfile',
        buildargs: '{"A":"1"}',
        labels: '{"l":"v"}',
        rm: true,
        forcerm: true,
        target: 'prod',
        version: '2',
        session: 'sid',
        networkmode: 'host',
      },
    ],
    [
      'classic: no session, no BuildKit cache',
      req,
      { kind: 'classic', reason: 'old engine' },
      {
        t: 'r:sha',
        dockerfile: 'Dockerfile',
        buildargs: '{"A":"1"}',
        labels: '{"l":"v"}',
        rm: true,
        forcerm: true,
        version: '1',
      },
    ],
  ])('%s', (_why, r, builder, query) => {
    expect(buildQuery(r, builder)).toEqual(query);
    expect(JSON.stringify(buildQuery(r, builder))).not.toContain('never-in-the-query');
  });
});

describe('BuildKit or classic', () => {
  test.each([
    [{ ApiVersion: '1.41', Os: 'linux' }, undefined, undefined],
    [{ ApiVersion: '1.41', Os: 'linux' }, 'v1.39', undefined],
    [
      { ApiVersion: '1.41', Os: 'linux' },
      'v1.38',
      'the engine API in use is 1.38; BuildKit builds need 1.39 or later (Docker 18.09+)',
    ],
    [
      { ApiVersion: '1.37', Os: 'linux' },
      undefined,
      'the engine API in use is 1.37; BuildKit builds need 1.39 or later (Docker 18.09+)',
    ],
    [{ ApiVersion: '1.41', Os: 'windows' }, undefined, 'Windows engines have no BuildKit'],
    [{}, undefined, undefined],
  ])('engine %j, client pinned to %s → %s', (server, pinned, reason) => {
    expect(classicReason(server, pinned)).toBe(reason);
  });
});

describe('BuildKit session', () => {
  test('announces one header per served method; GetSecret only with secrets', () => {
    expect(sessionHeaders('id1', true)['X-Docker-Expose-Session-Grpc-Method']).toEqual([
      '/grpc.health.v1.Health/Check',
      '/moby.filesync.v1.Auth/Credentials',
      '/moby.buildkit.secrets.v1.Secrets/GetSecret',
    ]);
    expect(sessionHeaders('id1', false)['X-Docker-Expose-Session-Grpc-Method']).not.toContain(
      '/moby.buildkit.secrets.v1.Secrets/GetSecret',
    );
    expect(sessionHeaders('id1', false)).toMatchObject({
      Upgrade: 'h2c',
      'X-Docker-Expose-Session-Uuid': 'id1',
    });
  });

  const auth = { username: 'u', password: 'p', serveraddress: 'ghcr.io' };
  test.each([
    ['our registry', 'ghcr.io', auth, { Username: 'u', Secret: 'p' }],
    ['another registry gets nothing', 'quay.io', auth, { Username: '', Secret: '' }],
    [
      'Docker Hub under its API host',
      'registry-1.docker.io',
      { ...auth, serveraddress: 'docker.io' },
      { Username: 'u', Secret: 'p' },
    ],
    [
      'an identity token',
      'ghcr.io',
      { identitytoken: 't', serveraddress: 'ghcr.io' },
      { Username: '', Secret: 't' },
    ],
    ['no credentials', 'ghcr.io', undefined, { Username: '', Secret: '' }],
  ])('credentials: %s', (_why, host, a, answer) => {
    expect(credentialsFor(host, a)).toEqual(answer);
  });
});

describe('build-secrets and build-cache inputs', () => {
  const get = (v: Record<string, string>) => (n: string) => v[n] ?? '';
  test.each([
    ['', {}],
    ['npm_token=abc\n# comment\n\naws.key=x=y==', { npm_token: 'abc', 'aws.key': 'x=y==' }],
  ])('%j parses', (raw, secrets) => {
    expect(parseInputs(get({ 'build-secrets': raw })).build.buildSecrets).toEqual(secrets);
  });

  test('every value is masked before validation, and an error never echoes one', () => {
    const masked: string[] = [];
    parseInputs(get({ 'build-secrets': 'a=first-secret\nb=second-secret' }), (v) => masked.push(v));
    expect(masked).toEqual(expect.arrayContaining(['first-secret', 'second-secret']));
    expect(() => parseInputs(get({ 'build-secrets': 'just-a-token-value' }))).toThrow(InputError);
    expect(() => parseInputs(get({ 'build-secrets': 'just-a-token-value' }))).toThrow(/hidden: secret input/);
  });

  test('an empty value (an unset GitHub secret) is refused naming the id', () => {
    expect(() => parseInputs(get({ 'build-secrets': 'npm_token=' }))).toThrow(
      'Input \'build-secrets\' is "npm_token=": secret npm_token has an empty value (is the secret it comes from set?).',
    );
  });

  test.each([
    ['', 'registry'],
    ['none', 'none'],
    ['registry', 'registry'],
  ])('build-cache %j → %s', (raw, mode) => {
    expect(parseInputs(get({ 'build-cache': raw })).build.buildCache).toBe(mode);
  });
  test('build-cache refuses anything else', () => {
    expect(() => parseInputs(get({ 'build-cache': 'gha' }))).toThrow(InputError);
  });
});

describe('summary rows', () => {
  const info: BuildInfo = {
    builder: 'buildkit',
    steps: [
      { name: '[2/3] RUN npm ci', cached: true },
      { name: '[3/3] COPY . /app', cached: false },
    ],
    cacheFrom: ['r:p1'],
    cacheImported: ['r:p1'],
    buildCache: 'registry',
    sizeBytes: 5 * 1024 * 1024,
    seconds: 3.21,
  };
  test.each<[string, BuildInfo, [string, string][]]>([
    [
      'BuildKit with registry cache',
      info,
      [
        ['Builder', 'BuildKit'],
        ['Steps cached', '1 of 2: `[2/3] RUN npm ci`'],
        ['Cache source', 'registry (r:p1) and local'],
        ['Image size', '5.0 MiB'],
        ['Build time', '3.2s'],
      ],
    ],
    [
      'classic fallback',
      {
        ...info,
        builder: 'classic',
        fallbackReason: 'old engine',
        steps: [],
        buildCache: 'none',
        sizeBytes: 900,
      },
      [
        ['Builder', 'classic (old engine)'],
        ['Cache source', 'local only (build-cache: none)'],
        ['Image size', '900 B'],
        ['Build time', '3.2s'],
      ],
    ],
  ])('%s', (_why, i, rows) => {
    expect(buildRows(i)).toEqual(rows);
  });
});
