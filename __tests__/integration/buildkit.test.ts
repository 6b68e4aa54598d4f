import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  REGISTRY,
  randomSha,
  runAction,
  tempDir,
  uniqueRepo,
  visibleLog,
} from '../helpers/action';
import { forgetBuild } from '../../bench/lib/build-cache.mjs';

// BuildKit builds through dist/index.js against the real engine and registries. No `# syntax=`
// line anywhere: that would make BuildKit pull a frontend image (nothing can be pulled here).

function workspace(files: Record<string, string>): string {
  const dir = tempDir('sd-bk-');
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Every byte of the image as `docker save` writes it (layers, config, history). */
function savedImage(ref: string): Buffer {
  return execFileSync('docker', ['save', ref], { maxBuffer: 512 * 1024 * 1024 });
}

/** A file's content inside an image, read by running the image. */
function fileInImage(ref: string, file: string): string {
  return execFileSync('docker', ['run', '--rm', '--network', 'none', ref, 'cat', file], { encoding: 'utf8' });
}

type Stage = { name: string; status: string; detail: string };
const stage = (outputs: Record<string, string>, name: string): Stage | undefined =>
  (JSON.parse(outputs.stages ?? '[]') as Stage[]).find((s) => s.name === name);

describe('BuildKit builds', () => {
  test('a secret mount gets the right value, a cache mount persists, and the secret is nowhere else', async () => {
    const secret = `tok-${crypto.randomBytes(12).toString('hex')}`;
    const secretSha = crypto.createHash('sha256').update(secret).digest('hex');
    const ws = workspace({
      Dockerfile: [
        'FROM safe-deploy-test/busybox:latest',
        'ARG RUN_NO',
        // The cache mount outlives the build: the second build sees the first one's line.
        'RUN --mount=type=cache,target=/cache,id=sd-bk-cache-test echo "$RUN_NO" >> /cache/runs && cp /cache/runs /runs',
        // Only a digest of the secret goes in the image, proving the value without storing it.
        'RUN --mount=type=secret,id=api_token,required=true sha256sum /run/secrets/api_token | cut -c1-64 > /token.sha',
        'COPY app.txt /app.txt',
      ].join('\n'),
      'app.txt': 'hello\n',
    });
    const repo = uniqueRepo('bk-secret');
    const image = `${REGISTRY}/${repo}`;
    const runs = [];
    for (const n of ['first', 'second']) {
      const sha = randomSha();
      const run = await runAction({
        cwd: ws,
        sha,
        inputs: {
          image,
          'build-args': `RUN_NO=${n}-${sha.slice(0, 8)}`,
          'build-secrets': `api_token=${secret}\nunused=another-${secret}`,
        },
      });
      expect(visibleLog(run)).not.toContain('classic builder');
      expect(run.code).toBe(0);
      runs.push({ sha, run });
    }
    const [first, second] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const ref = `${image}:${second.sha}`;
    expect(fileInImage(ref, '/token.sha').trim()).toBe(secretSha);
    expect(fileInImage(ref, '/runs').trim().split('\n').slice(-2)).toEqual([
      `first-${first.sha.slice(0, 8)}`,
      `second-${second.sha.slice(0, 8)}`,
    ]);
    // Never in the image (layers, config, history), the log, the outputs or the summary.
    expect(savedImage(ref).includes(secret)).toBe(false);
    expect(savedImage(ref).includes(Buffer.from(secret).toString('base64'))).toBe(false);
    const history = execFileSync('docker', ['history', '--no-trunc', ref], { encoding: 'utf8' });
    expect(history).toContain('api_token');
    expect(history).not.toContain(secret);
    for (const { run } of runs) {
      expect(visibleLog(run)).not.toContain(secret);
      expect(JSON.stringify(run.outputs)).not.toContain(secret);
      expect(run.summary).not.toContain(secret);
    }
    // The log reads like `docker build`: numbered steps, and the summary says what was cached.
    expect(visibleLog(second.run)).toMatch(/#\d+ \[(stage-0 )?2\/4\] RUN --mount=type=cache/);
    expect(second.run.summary).toContain('| Builder | BuildKit |');
    expect(second.run.summary).toMatch(/\| Image size \| [\d.]+ (KiB|MiB) \|/);
  });

  test('a secret the Dockerfile needs but build-secrets lacks fails the build naming it', async () => {
    const ws = workspace({
      Dockerfile: [
        'FROM safe-deploy-test/busybox:latest',
        'RUN --mount=type=secret,id=npm_token cat /run/secrets/npm_token > /dev/null',
      ].join('\n'),
    });
    const run = await runAction({
      cwd: ws,
      inputs: { image: `${REGISTRY}/${uniqueRepo('bk-nosecret')}`, 'build-secrets': 'other=some-value' },
    });
    expect(run.code).not.toBe(0);
    expect(stage(run.outputs, 'build')).toMatchObject({ status: 'failed' });
    expect(stage(run.outputs, 'build')?.detail).toContain(
      'the Dockerfile asked for secret npm_token, which build-secrets does not define',
    );
    expect(run.summary).toContain('Add `npm_token=…` to build-secrets');
    // The failing step's own output is in the summary, as Docker printed it.
    expect(run.summary).toMatch(/\/run\/secrets\/npm_token/);
  });

  // The engine needs both files, so they always travel in the context; an ignored file does not.
  // (BuildKit keeps what the uploaded context holds: `COPY .` copies them, as with `docker build`
  // through the API; the classic builder drops them after reading.)
  test('a .dockerignore that lists the Dockerfile and itself still builds', async () => {
    const ws = workspace({
      Dockerfile: 'FROM safe-deploy-test/busybox:latest\nCOPY . /ctx\nRUN ls -a /ctx > /listing\n',
      '.dockerignore': 'Dockerfile\n.dockerignore\nnotes/\n',
      'app.txt': 'app\n',
      'notes/private.txt': 'not for the image\n',
    });
    const repo = uniqueRepo('bk-ignore');
    const sha = randomSha();
    const run = await runAction({ cwd: ws, sha, inputs: { image: `${REGISTRY}/${repo}` } });
    expect(run.code).toBe(0);
    const listing = fileInImage(`${REGISTRY}/${repo}:${sha}`, '/listing').split('\n').filter(Boolean);
    expect(listing.sort()).toEqual(['.', '..', '.dockerignore', 'Dockerfile', 'app.txt']);
  });

  test('a cold engine reuses unchanged layers from the parent image in the registry (auth)', async () => {
    const token = `cold-${crypto.randomBytes(6).toString('hex')}`;
    const ws = workspace({
      // Every step names the token, so forgetBuild finds this test's cache records and no others.
      Dockerfile: [
        'FROM safe-deploy-test/busybox:latest',
        `RUN echo installing ${token} && sleep 3 && head -c 2000000 /dev/urandom > /deps.bin`,
        `COPY src /app-${token}`,
        `RUN cat /app-${token}/main.txt > /built-${token}`,
      ].join('\n'),
      'src/main.txt': 'version 1\n',
    });
    const repo = uniqueRepo('bk-cold');
    const image = `${AUTH_REGISTRY}/${repo}`;
    const auth = { 'registry-username': AUTH_USER, 'registry-password': AUTH_PASSWORD };
    const since = new Date();
    const parent = randomSha();
    const first = await runAction({ cwd: ws, sha: parent, inputs: { image, ...auth } });
    expect(first.code).toBe(0);
    expect(first.summary).toMatch(/\| Steps cached \| 0 of 3 \|/);

    expect(await forgetBuild(image, token, since)).toBeGreaterThanOrEqual(3);
    fs.writeFileSync(path.join(ws, 'src/main.txt'), 'version 2\n');
    const sha = randomSha();
    const second = await runAction({
      cwd: ws,
      sha,
      event: { before: parent, repository: { default_branch: 'main' } },
      inputs: { image, ...auth },
    });
    expect(second.code).toBe(0);
    const log = visibleLog(second);
    expect(log).toContain(`importing cache manifest from ${image}:${parent}`);
    // The slow dependency step came from the registry; the changed source and what follows did not.
    expect(log).toMatch(
      new RegExp(`#(\\d+) \\[(?:stage-0 )?2/4\\] RUN echo installing ${token}[^\\n]*\\n#\\1 CACHED`),
    );
    expect(second.summary).toMatch(/\| Steps cached \| 1 of 3: `\[(stage-0 )?2\/4\] RUN echo installing/);
    expect(second.summary).toContain(`| Cache source | registry (${image}:${parent}) and local |`);
    expect(log).not.toContain(AUTH_PASSWORD);
    expect(second.summary).not.toContain(AUTH_PASSWORD);
    expect(fileInImage(`${image}:${sha}`, `/built-${token}`)).toBe('version 2\n');

    // Without the registry cache the same cold build runs every step.
    await forgetBuild(image, token, since);
    const none = await runAction({
      cwd: ws,
      sha: randomSha(),
      event: { before: parent, repository: { default_branch: 'main' } },
      inputs: { image, ...auth, 'build-cache': 'none' },
    });
    expect(none.code).toBe(0);
    expect(none.summary).toMatch(/\| Steps cached \| 0 of 3 \|/);
    expect(none.summary).toContain('| Cache source | local only (build-cache: none) |');
  });

  test('an engine API older than 1.39 (DOCKER_API_VERSION=1.38) builds classic and says so, opening no session', async () => {
    const ws = workspace({ Dockerfile: 'FROM safe-deploy-test/busybox:latest\nRUN echo classic > /built\n' });
    const repo = uniqueRepo('bk-classic');
    const sha = randomSha();
    const run = await runAction({
      cwd: ws,
      sha,
      env: { DOCKER_API_VERSION: '1.38' },
      inputs: { image: `${REGISTRY}/${repo}` },
    });
    expect({ code: run.code, summary: run.summary }).toMatchObject({ code: 0 });
    expect(visibleLog(run)).toContain(
      'This engine cannot build with BuildKit (the engine API in use is 1.38; BuildKit builds need 1.39 or later (Docker 18.09+)): using the classic builder.',
    );
    // The classic builder's own words ("Step 1/2 : FROM …"), not BuildKit's numbered lines.
    expect(visibleLog(run)).toMatch(/Step 2\/\d+ : RUN echo classic > \/built/);
    expect(run.summary).toContain('| Builder | classic (the engine API in use is 1.38');
    expect(fileInImage(`${REGISTRY}/${repo}:${sha}`, '/built')).toBe('classic\n');

    // Secrets cannot travel without a session: one clear line before any build.
    const withSecret = await runAction({
      cwd: ws,
      env: { DOCKER_API_VERSION: '1.38' },
      inputs: { image: `${REGISTRY}/${repo}`, 'build-secrets': 'token=abc-123-secret' },
    });
    expect(withSecret.code).not.toBe(0);
    expect(stage(withSecret.outputs, 'build')?.detail).toContain('build-secrets need BuildKit');
    expect(visibleLog(withSecret)).not.toContain('abc-123-secret');
  });
});
