import fs from 'node:fs';
import path from 'node:path';
import Docker from 'dockerode';
import {
  AUTH_PASSWORD,
  AUTH_REGISTRY,
  AUTH_USER,
  REGISTRY,
  randomSha,
  registryDigest,
  registryTags,
  runAction,
  tempDir,
  uniqueRepo,
  visibleLog,
  workspaceFrom,
} from '../helpers/action';

// The gate commands of the example app: its own lint and test scripts, which write JUnit and lcov.
const GATE = {
  'lint-command': 'bash test/lint.sh',
  'test-command': 'bash test/run.sh',
  'junit-files': 'reports/*.xml',
  'coverage-file': 'reports/lcov.info',
};

type Stage = { name: string; status: string; durationMs: number; detail: string };
const stages = (outputs: Record<string, string>): Stage[] => JSON.parse(outputs.stages ?? '[]') as Stage[];
const statusOf = (outputs: Record<string, string>, name: string): string | undefined =>
  stages(outputs).find((s) => s.name === name)?.status;

describe('gate, build and push through dist/index.js', () => {
  test('a passing run pushes <image>:<sha> and outputs the digest the registry holds', async () => {
    const repo = uniqueRepo();
    const sha = randomSha();
    const run = await runAction({
      cwd: workspaceFrom('hello-app'),
      sha,
      inputs: { ...GATE, image: `${REGISTRY}/${repo}`, tags: 'latest', 'coverage-threshold': '90' },
    });
    expect(run.code).toBe(0);
    const digest = await registryDigest(repo, sha);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.outputs).toMatchObject({
      result: 'skipped',
      sha,
      image: `${REGISTRY}/${repo}:${sha}`,
      digest,
      'image-ref': `${REGISTRY}/${repo}@${digest}`,
      'build-skipped': 'false',
      coverage: '100',
    });
    expect((await registryTags(repo)).sort()).toEqual([sha, 'latest'].sort());
    expect(stages(run.outputs).map((s) => [s.name, s.status])).toEqual([
      ['gate', 'passed'],
      ['build', 'passed'],
      ['migrate', 'skipped'],
      ['deploy', 'skipped'],
      ['verify', 'skipped'],
    ]);
    expect(stages(run.outputs)[2]!.detail).toBe('no migrations-dir or migrate-command set');
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(run.summary).toContain('| gate | ✅ passed |');
    expect(run.summary).toContain(digest!);
    expect(run.summary).toContain('Line coverage: **100%**');
    // The image carries the revision and the gate verdict (a re-run uses it to skip the gate).
    const labels = (await new Docker().getImage(`${REGISTRY}/${repo}:${sha}`).inspect()).Config.Labels;
    expect(labels).toMatchObject({
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.source': 'https://github.com/acme/hello-app',
      'dev.safe-deploy.gate': 'passed',
    });
  });

  test('a failing lint stops before the tests and before any build', async () => {
    const ws = workspaceFrom('hello-app');
    const repo = uniqueRepo();
    const run = await runAction({
      cwd: ws,
      inputs: {
        ...GATE,
        'lint-command': 'echo "src/app.ts:3 unused variable" && exit 3',
        'test-command': 'touch tests-ran',
        image: `${REGISTRY}/${repo}`,
      },
    });
    expect(run.code).toBe(1);
    expect(fs.existsSync(path.join(ws, 'tests-ran'))).toBe(false);
    expect(statusOf(run.outputs, 'gate')).toBe('failed');
    expect(statusOf(run.outputs, 'build')).toBe('skipped');
    expect(run.outputs.result).toBe('failed');
    expect(await registryTags(repo)).toEqual([]);
    expect(run.summary).toContain('lint-command exited with code 3');
    expect(run.summary).toContain('src/app.ts:3 unused variable');
    expect(run.stdout).toContain('::error::gate failed: lint-command exited with code 3');
  });

  test('failing tests stop before the build, and the failed test is listed and annotated', async () => {
    const ws = workspaceFrom('hello-app');
    fs.writeFileSync(path.join(ws, 'www/health'), 'not ok\n');
    const repo = uniqueRepo();
    const run = await runAction({ cwd: ws, inputs: { ...GATE, image: `${REGISTRY}/${repo}` } });
    expect(run.code).toBe(1);
    expect(statusOf(run.outputs, 'build')).toBe('skipped');
    expect(await registryTags(repo)).toEqual([]);
    expect(run.summary).toContain('health answers ok');
    expect(run.summary).toContain('1 of 2 tests failed');
    expect(run.stdout).toMatch(
      /::error title=Test failed%3A health answers ok,file=test\/run.sh::health answers ok failed/,
    );
  });

  test('coverage below the threshold fails the gate', async () => {
    const ws = workspaceFrom('hello-app');
    const run = await runAction({
      cwd: ws,
      inputs: {
        'test-command': 'printf "SF:a.ts\\nLF:10\\nLH:7\\nend_of_record\\n" > lcov.info',
        'coverage-file': 'lcov.info',
        'coverage-threshold': '80',
      },
    });
    expect(run.code).toBe(1);
    expect(run.outputs.coverage).toBe('70');
    expect(statusOf(run.outputs, 'gate')).toBe('failed');
    expect(run.summary).toContain('line coverage 70% is below coverage-threshold 80%');
  });

  test('failures of quarantined tests only do not block the gate, and are reported as quarantined', async () => {
    const ws = workspaceFrom('hello-app');
    fs.writeFileSync(path.join(ws, 'www/health'), 'not ok\n');
    const run = await runAction({
      cwd: ws,
      inputs: { ...GATE, quarantine: 'hello-app › health answers ok' },
    });
    expect(run.code).toBe(0);
    expect(statusOf(run.outputs, 'gate')).toBe('passed');
    expect(run.summary).toContain('Quarantined (failed, not blocking)');
    expect(run.summary).toContain('health answers ok');
    expect(run.stdout).toMatch(
      /::warning title=Quarantined test failed%3A health answers ok,file=test\/run.sh::/,
    );
  });

  test("a broken Dockerfile fails the build with Docker's own message", async () => {
    const ws = workspaceFrom('hello-app');
    fs.appendFileSync(path.join(ws, 'Dockerfile'), 'RUN exit 7\n');
    const repo = uniqueRepo();
    const run = await runAction({ cwd: ws, inputs: { image: `${REGISTRY}/${repo}` } });
    expect(run.code).toBe(1);
    expect(statusOf(run.outputs, 'build')).toBe('failed');
    // BuildKit's words for a failed RUN.
    expect(run.summary).toMatch(
      /docker build failed: executor failed running \[\/bin\/sh -c exit 7\]: exit code: 7/,
    );
    expect(run.summary).toMatch(/#\d+ \[4\/4\] RUN exit 7/);
    expect(run.summary).toContain('Last lines from Docker');
    expect(await registryTags(repo)).toEqual([]);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  test('a second run for the same SHA skips the build and reports the same digest', async () => {
    const repo = uniqueRepo();
    const sha = randomSha();
    const inputs = { image: `${REGISTRY}/${repo}` };
    const first = await runAction({ cwd: workspaceFrom('hello-app'), sha, inputs });
    expect(first.code).toBe(0);
    const second = await runAction({ cwd: workspaceFrom('hello-app'), sha, inputs });
    expect(second.code).toBe(0);
    expect(second.outputs['build-skipped']).toBe('true');
    expect(second.outputs.digest).toBe(first.outputs.digest);
    expect(second.stdout).not.toContain(`Building ${inputs.image}:${sha}`);
    expect(first.stdout).toContain(`Building ${inputs.image}:${sha}`);
    expect(second.summary).toContain('already in the registry for this commit');
  });

  test('a pull-request event builds but pushes nothing, and says why deploy was skipped', async () => {
    const repo = uniqueRepo();
    const run = await runAction({
      cwd: workspaceFrom('hello-app'),
      eventName: 'pull_request',
      ref: 'refs/pull/7/merge',
      env: { GITHUB_HEAD_REF: 'feature/x' },
      inputs: { image: `${REGISTRY}/${repo}` },
    });
    expect(run.code).toBe(0);
    expect(statusOf(run.outputs, 'build')).toBe('passed');
    expect(run.outputs.digest).toBe('');
    expect(await registryTags(repo)).toEqual([]);
    expect(run.summary).toContain('pull-request events never deploy');
    expect(run.summary).toContain('pull requests never push');
  });

  test('credentials from the inputs push to a registry that demands them, and never leak', async () => {
    const repo = uniqueRepo();
    const run = await runAction({
      cwd: workspaceFrom('hello-app'),
      inputs: {
        image: `${AUTH_REGISTRY}/${repo}`,
        'registry-username': AUTH_USER,
        'registry-password': AUTH_PASSWORD,
      },
    });
    expect(run.code).toBe(0);
    expect(run.outputs.digest).toMatch(/^sha256:/);
    expect(await registryDigest(repo, run.outputs.sha!, AUTH_REGISTRY, `${AUTH_USER}:${AUTH_PASSWORD}`)).toBe(
      run.outputs.digest,
    );
    expectNoSecret(run, AUTH_PASSWORD);
    // The runner is told to mask the password and its base64 form.
    expect(run.stdout).toContain(`::add-mask::${AUTH_PASSWORD}`);
  });

  test('credentials from the Docker config file (as docker/login-action writes it) are used', async () => {
    const repo = uniqueRepo();
    const configDir = tempDir('sd-dockercfg-');
    const auth = Buffer.from(`${AUTH_USER}:${AUTH_PASSWORD}`).toString('base64');
    fs.writeFileSync(
      path.join(configDir, 'config.json'),
      JSON.stringify({ auths: { [AUTH_REGISTRY]: { auth } } }),
    );
    const run = await runAction({
      cwd: workspaceFrom('hello-app'),
      env: { DOCKER_CONFIG: configDir },
      inputs: { image: `${AUTH_REGISTRY}/${repo}` },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Registry credentials: ${configDir}/config.json`);
    expect(await registryTags(repo, AUTH_REGISTRY, `${AUTH_USER}:${AUTH_PASSWORD}`)).toEqual([
      run.outputs.sha,
    ]);
    expectNoSecret(run, AUTH_PASSWORD);
  });

  test('a wrong registry password fails clearly before building, and leaks nothing', async () => {
    const repo = uniqueRepo();
    const wrong = 'Wrong-Pa55word-xyz';
    const run = await runAction({
      cwd: workspaceFrom('hello-app'),
      inputs: {
        image: `${AUTH_REGISTRY}/${repo}`,
        'registry-username': AUTH_USER,
        'registry-password': wrong,
      },
    });
    expect(run.code).toBe(1);
    expect(statusOf(run.outputs, 'build')).toBe('failed');
    expect(run.summary).toMatch(/registry refused access .*check registry-username and registry-password/);
    expect(run.stdout).not.toContain('Building '); // it did not build first and fail late
    expectNoSecret(run, wrong);
  });

  test('an unreachable registry fails the build stage with the cause', async () => {
    const run = await runAction({
      cwd: workspaceFrom('hello-app'),
      inputs: { image: `127.0.0.1:5999/${uniqueRepo()}` },
    });
    expect(run.code).toBe(1);
    expect(statusOf(run.outputs, 'build')).toBe('failed');
    expect(run.summary).toMatch(/could not ask the registry about 127\.0\.0\.1:5999\/.*connection refused/);
  });
});

/** A secret may appear only in the runner's own ::add-mask:: lines, which the runner consumes. */
function expectNoSecret(run: Awaited<ReturnType<typeof runAction>>, secret: string): void {
  const forms = [
    secret,
    Buffer.from(secret).toString('base64'),
    Buffer.from(`${AUTH_USER}:${secret}`).toString('base64'),
  ];
  const outputsFile = fs.readFileSync(path.join(run.dir, 'output.txt'), 'utf8');
  for (const form of forms) {
    expect(visibleLog(run)).not.toContain(form);
    expect(outputsFile).not.toContain(form);
    expect(run.summary).not.toContain(form);
  }
}
