import { minimatch } from 'minimatch';
import { decideDeploy, isPlain } from '../../src/branch-guard';
import { readRunContext } from '../../src/context';

const SHA = 'a'.repeat(40);
const ctx = (env: Record<string, string>) =>
  readRunContext({ GITHUB_SHA: SHA, GITHUB_EVENT_NAME: 'push', ...env });

describe('decideDeploy', () => {
  test('pull requests never push or deploy', async () => {
    const d = await decideDeploy(
      ctx({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/1/merge', GITHUB_HEAD_REF: 'main' }),
      ['**'],
    );
    expect(d).toEqual({
      mayPush: false,
      mayDeploy: false,
      reason: expect.stringContaining('pull-request events never deploy'),
    });
  });

  test('the default branch deploys by default; others build and push only', async () => {
    expect((await decideDeploy(ctx({ GITHUB_REF: 'refs/heads/main' }), undefined)).mayDeploy).toBe(true);
    const other = await decideDeploy(ctx({ GITHUB_REF: 'refs/heads/feature/x' }), undefined);
    expect(other).toMatchObject({ mayPush: true, mayDeploy: false });
    expect(other.reason).toBe('branch feature/x does not match deploy-on (main)');
  });

  test('deploy-on globs', async () => {
    expect(
      (await decideDeploy(ctx({ GITHUB_REF: 'refs/heads/release/1.2' }), ['main', 'release/*'])).mayDeploy,
    ).toBe(true);
    expect((await decideDeploy(ctx({ GITHUB_REF: 'refs/heads/release/1/2' }), ['release/*'])).mayDeploy).toBe(
      false,
    );
  });

  // Plain names skip loading minimatch: for them, === must decide as minimatch would.
  test.each([
    ['main', 'main'],
    ['main', 'Main'],
    ['release/1.2', 'release/1.2'],
    ['release/1.2', 'release/1.3'],
    ['feature/x', 'feature'],
    ['a.b', 'a-b'],
    ['déploiement', 'déploiement'],
    ['v1.0', 'v1.0/'],
    ['x', './x'],
  ])('branch %j, plain pattern %j: the same answer as minimatch', async (branch, pattern) => {
    expect(isPlain(pattern)).toBe(true);
    const d = await decideDeploy(ctx({ GITHUB_REF: `refs/heads/${branch}` }), [pattern]);
    expect(d.mayDeploy).toBe(minimatch(branch, pattern));
  });

  test.each(['release/*', 'v?', '[ab]', '{a,b}', '!main', '+(a)', '@(a)', 'a\\*', '#main'])(
    '%j is a glob: minimatch decides',
    (pattern) => expect(isPlain(pattern)).toBe(false),
  );

  test('a tag is not a branch', async () => {
    expect(await decideDeploy(ctx({ GITHUB_REF: 'refs/tags/v1' }), undefined)).toMatchObject({
      mayDeploy: false,
      mayPush: true,
    });
  });
});

describe('readRunContext', () => {
  test('rejects a missing or short SHA with one line', () => {
    expect(() => readRunContext({ GITHUB_SHA: 'abc' })).toThrow(
      /^GITHUB_SHA is "abc": expected a full 40-character commit SHA/,
    );
  });

  test('builds the run URL and reads the default branch from the payload', () => {
    const c = ctx({ GITHUB_REPOSITORY: 'acme/api', GITHUB_RUN_ID: '42', GITHUB_REF: 'refs/heads/main' });
    expect(c.runUrl).toBe('https://github.com/acme/api/actions/runs/42');
    expect(c.shortSha).toBe('aaaaaaa');
    expect(c.defaultBranch).toBe('main');
  });
});
