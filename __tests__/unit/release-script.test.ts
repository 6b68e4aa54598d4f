import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  compareVersions,
  decideMajorTag,
  main,
  parseVersionTag,
  ReleaseError,
  releaseNotes,
} from '../../scripts/release';
import { ROOT } from '../helpers/action';

const CHANGELOG = `# Changelog

All notable changes to this project are documented in this file.

## [Unreleased]

### Added
- Something not released yet.

## [1.1.0] - 2026-12-10

### Added
- Kubernetes target.

### Fixed
- A stopped proxy is started again.

## [1.0.0] - 2026-12-03

### Added
- First release.

[unreleased]: https://github.com/org/safe-deploy/compare/v1.1.0...HEAD
[1.1.0]: https://github.com/org/safe-deploy/compare/v1.0.0...v1.1.0
[1.0.0]: https://github.com/org/safe-deploy/releases/tag/v1.0.0
`;

describe('parseVersionTag', () => {
  test.each([
    ['v1.0.0', { major: 1, minor: 0, patch: 0 }],
    ['v12.34.56', { major: 12, minor: 34, patch: 56 }],
    ['v2.0.0-rc.1', { major: 2, minor: 0, patch: 0, prerelease: 'rc.1' }],
    ['v1.0.0-alpha-2.x', { major: 1, minor: 0, patch: 0, prerelease: 'alpha-2.x' }],
  ])('%s', (tag, expected) => {
    expect(parseVersionTag(tag)).toEqual(expected);
  });

  test.each([
    '1.0.0',
    'v1',
    'v1.2',
    'v1.2.3.4',
    'v01.2.3',
    'v1.02.3',
    'v1.2.3-',
    'v1.2.3-rc.01',
    'v1.2.3+build',
    'release-1.0.0',
    'v1.2.3 ',
  ])('refuses %j', (tag) => {
    expect(() => parseVersionTag(tag)).toThrow(ReleaseError);
  });
});

describe('compareVersions', () => {
  test.each([
    ['v1.0.0', 'v1.0.1', -1],
    ['v1.10.0', 'v1.9.9', 1],
    ['v2.0.0', 'v1.99.99', 1],
    ['v1.0.0-rc.1', 'v1.0.0', -1],
    ['v1.0.0-rc.2', 'v1.0.0-rc.10', -1],
    ['v1.0.0-alpha', 'v1.0.0-alpha.1', -1],
    ['v1.0.0-1', 'v1.0.0-alpha', -1],
    ['v1.0.0-beta', 'v1.0.0-alpha', 1],
    ['v1.2.3', 'v1.2.3', 0],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareVersions(parseVersionTag(a), parseVersionTag(b))).toBe(expected);
    expect(compareVersions(parseVersionTag(b), parseVersionTag(a))).toBe(-expected || 0);
  });
});

describe('releaseNotes', () => {
  test.each([
    [
      'a middle section, up to the next heading',
      CHANGELOG,
      '1.1.0',
      '### Added\n- Kubernetes target.\n\n### Fixed\n- A stopped proxy is started again.',
    ],
    ['the last section, without the link definitions', CHANGELOG, '1.0.0', '### Added\n- First release.'],
    ['CRLF line ends', CHANGELOG.replace(/\n/g, '\r\n'), '1.0.0', '### Added\n- First release.'],
    ['a heading without brackets or date', '# C\n\n## 2.0.0\n- Two.\n## 1.0.0\n- One.\n', '2.0.0', '- Two.'],
    ['a heading with a v', '## [v2.0.0] - 2027-01-01\n- Two.\n', '2.0.0', '- Two.'],
    ['a prerelease', '## [2.0.0-rc.1] - 2027-01-01\n- RC.\n## [1.0.0]\n- One.\n', '2.0.0-rc.1', '- RC.'],
    [
      'not the prerelease when the release is asked',
      '## [2.0.0-rc.1]\n- RC.\n## [2.0.0]\n- Final.\n',
      '2.0.0',
      '- Final.',
    ],
    ['a heading with [YANKED]', '## [1.0.1] - 2027-01-01 [YANKED]\n- Broken.\n', '1.0.1', '- Broken.'],
  ])('%s', (_name, changelog, version, expected) => {
    expect(releaseNotes(changelog, version)).toBe(expected);
  });

  test.each([
    ['no section for the version', CHANGELOG, '1.2.0'],
    ['a longer version is not this one', '## [1.0.10]\n- Ten.\n', '1.0.1'],
    ['a dot is not a wildcard', '## [1x0x0]\n- Not it.\n', '1.0.0'],
    ['a level-3 heading is not a section', '### [1.0.0]\n- Not a release.\n', '1.0.0'],
    ['an empty section', '## [1.0.0] - 2026-12-03\n\n## [0.9.0]\n- Old.\n', '1.0.0'],
    ['a section of link definitions only', '## [1.0.0]\n[1.0.0]: https://example.com\n', '1.0.0'],
  ])('refuses %s', (_name, changelog, version) => {
    expect(() => releaseNotes(changelog, version)).toThrow(ReleaseError);
  });

  // Keep a Changelog's own CHANGELOG.md (github.com/olivierlacan/keep-a-changelog, commit 006c1d4c),
  // written by people over ten years: wrapped items, links, a long version list, link definitions.
  const kac = fs.readFileSync(
    path.join(ROOT, '__tests__/fixtures/release/keep-a-changelog.CHANGELOG.txt'),
    'utf8',
  );
  test.each([
    [
      '1.1.1',
      '### Added\n\n- Arabic translation (#444).',
      '- Duplicate index file for the english version',
      39,
    ],
    ['1.1.0', '### Added\n\n- Danish translation (#297).', '- Indonesian translation (#336).', 10],
    ['0.3.0', '### Added\n\n- RU translation', 'from [@ZeliosAriex](https://github.com/ZeliosAriex).', 5],
    ['0.0.1', '### Added\n\n- This CHANGELOG file', '- Counter-examples: "What makes unicorns cry?".', 8],
  ])("Keep a Changelog's own file: %s", (version, start, end, lines) => {
    const notes = releaseNotes(kac, version);
    expect(notes.startsWith(start)).toBe(true);
    expect(notes.endsWith(end)).toBe(true);
    expect(notes.split('\n')).toHaveLength(lines);
  });

  test("the repository's own CHANGELOG.md has notes for package.json's version", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const notes = releaseNotes(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'), pkg.version);
    expect(notes).toMatch(/^### Added$/m);
    expect(notes).not.toMatch(/^## /m);
  });
});

describe('decideMajorTag', () => {
  const v = parseVersionTag;
  test.each([
    ['no v1 yet: create it', v('v1.0.0'), undefined, { action: 'create', tag: 'v1' }],
    [
      'a newer minor: move',
      v('v1.1.0'),
      { tags: ['v1', 'v1.0.0'] },
      { action: 'move', tag: 'v1', from: 'v1.0.0' },
    ],
    [
      'a newer patch: move',
      v('v1.1.1'),
      { tags: ['v1.1.0', 'v1'] },
      { action: 'move', tag: 'v1', from: 'v1.1.0' },
    ],
    [
      'the newest of several tags on that commit',
      v('v1.2.0'),
      { tags: ['v1.0.0', 'v1.1.0', 'v1.1.0-rc.1'] },
      { action: 'move', tag: 'v1', from: 'v1.1.0' },
    ],
    [
      'the same release again (a re-run): keep',
      v('v1.1.0'),
      { tags: ['v1.1.0'] },
      { action: 'keep', tag: 'v1' },
    ],
    ['a prerelease: keep', v('v1.2.0-rc.1'), { tags: ['v1.1.0'] }, { action: 'keep', tag: 'v1' }],
    ['a first prerelease of a new major: keep', v('v2.0.0-rc.1'), undefined, { action: 'keep', tag: 'v2' }],
    ['a new major: create v2', v('v2.0.0'), undefined, { action: 'create', tag: 'v2' }],
  ])('%s', (_name, release, current, expected) => {
    expect(decideMajorTag(release, current)).toMatchObject(expected);
  });

  test.each([
    ['backwards: v1.0.1 after v1.1.0', v('v1.0.1'), { tags: ['v1.1.0'] }],
    ['v1 on a commit no release names', v('v1.1.0'), { tags: ['v1'] }],
    ['v1 on a commit only another major names', v('v1.1.0'), { tags: ['v2.0.0'] }],
    ['v1 on a commit only a prerelease names', v('v1.1.0'), { tags: ['v1.1.0-rc.1'] }],
  ])('refuses %s', (_name, release, current) => {
    expect(() => decideMajorTag(release, current)).toThrow(ReleaseError);
  });
});

// The script itself against real git repositories: a "GitHub" remote (bare) and a clone of it, as
// the release workflow's checkout is.
describe('release script on a git repository', () => {
  let tmp: string;
  let origin: string;
  let work: string;
  const out: string[] = [];
  const err: string[] = [];

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();
  const commit = (version: string, changelog = CHANGELOG): string => {
    fs.writeFileSync(
      path.join(work, 'package.json'),
      JSON.stringify({ name: 'safe-deploy', version }) + '\n',
    );
    fs.writeFileSync(path.join(work, 'CHANGELOG.md'), changelog);
    git(work, 'add', '.');
    git(work, 'commit', '-q', '--allow-empty', '-m', `release ${version}`);
    return git(work, 'rev-parse', 'HEAD');
  };
  const run = (...argv: string[]): number =>
    main(
      argv,
      work,
      (l) => out.push(l),
      (l) => err.push(l),
    );
  const at = (cwd: string, ref: string): string | undefined => {
    try {
      return git(cwd, 'rev-parse', '--verify', '--quiet', `refs/tags/${ref}^{commit}`);
    } catch {
      return undefined;
    }
  };

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sd-release-'));
    origin = path.join(tmp, 'origin.git');
    work = path.join(tmp, 'work');
    git(tmp, 'init', '-q', '--bare', origin);
    git(tmp, 'clone', '-q', origin, work);
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test('git tag v1.0.0, then the script: v1 points at it, here and on the remote', () => {
    const c1 = commit('1.0.0');
    git(work, 'tag', 'v1.0.0');
    git(work, 'push', '-q', 'origin', 'HEAD:refs/heads/main', 'v1.0.0');

    expect(run('move-major', 'v1.0.0', '--push', 'origin')).toBe(0);
    expect(at(work, 'v1')).toBe(c1);
    expect(at(origin, 'v1')).toBe(c1);
    expect(out).toEqual(['v1 -> v1.0.0 (new)']);
  });

  test('v1.1.0 (annotated) moves v1 to its commit; running it again changes nothing', () => {
    commit('1.0.0');
    git(work, 'tag', 'v1.0.0');
    expect(run('move-major', 'v1.0.0', '--push', 'origin')).toBe(0);
    const c2 = commit('1.1.0');
    git(work, 'tag', '-a', '-m', 'v1.1.0', 'v1.1.0');
    git(work, 'push', '-q', 'origin', 'v1.1.0');

    expect(run('move-major', 'v1.1.0', '--push', 'origin')).toBe(0);
    expect(at(origin, 'v1')).toBe(c2);
    expect(run('move-major', 'v1.1.0', '--push', 'origin')).toBe(0);
    expect(at(origin, 'v1')).toBe(c2);
    expect(out).toEqual([
      'v1 -> v1.0.0 (new)',
      'v1 -> v1.1.0 (was v1.0.0)',
      'v1 unchanged: v1 already points at v1.1.0',
    ]);
  });

  test('a clone with a stale v1 reads the remote: it refuses to take v1 back', () => {
    commit('1.0.0');
    git(work, 'tag', 'v1.0.0');
    git(work, 'tag', 'v1');
    git(work, 'push', '-q', 'origin', 'v1.0.0', 'v1');
    const other = path.join(tmp, 'other');
    git(tmp, 'clone', '-q', origin, other);
    // Someone else released v1.1.0 meanwhile, from the other clone.
    git(other, 'checkout', '-q', '--detach', 'v1.0.0');
    fs.writeFileSync(path.join(other, 'package.json'), JSON.stringify({ version: '1.1.0' }));
    fs.writeFileSync(path.join(other, 'CHANGELOG.md'), CHANGELOG);
    git(other, 'add', '.');
    git(other, 'commit', '-q', '-m', '1.1.0');
    git(other, 'tag', 'v1.1.0');
    git(other, 'tag', '-f', 'v1');
    git(other, 'push', '-q', '-f', 'origin', 'v1.1.0', 'v1');
    const c110 = at(other, 'v1.1.0');
    // Back in the stale clone: a hotfix v1.0.1 on top of v1.0.0.
    commit('1.0.1', CHANGELOG.replace('## [1.0.0]', '## [1.0.1] - 2026-12-11\n\n- Hotfix.\n\n## [1.0.0]'));
    git(work, 'tag', 'v1.0.1');

    expect(run('move-major', 'v1.0.1', '--push', 'origin')).toBe(1);
    expect(err.join('\n')).toMatch(/v1 is at v1\.1\.0, newer than v1\.0\.1/);
    expect(at(origin, 'v1')).toBe(c110);
  });

  test('check writes the notes of that version from the tagged commit', () => {
    commit('1.1.0');
    git(work, 'tag', 'v1.1.0');
    commit('1.2.0', '# nothing here\n'); // a later commit's CHANGELOG must not matter
    const notes = path.join(tmp, 'notes.md');

    expect(run('check', 'v1.1.0', '--notes-file', notes)).toBe(0);
    expect(fs.readFileSync(notes, 'utf8')).toBe(
      '### Added\n- Kubernetes target.\n\n### Fixed\n- A stopped proxy is started again.\n',
    );
  });

  test.each([
    ['a non-semver tag', 'v1.0', () => git(work, 'tag', 'v1.0'), /not a release tag/],
    ['a tag that does not exist', 'v1.1.0', () => undefined, /tag v1\.1\.0 does not exist/],
    [
      'a tag whose CHANGELOG has no section for it',
      'v1.2.0',
      () => git(work, 'tag', 'v1.2.0'),
      /no section for 1\.2\.0/,
    ],
    [
      "a tag that is not package.json's version",
      'v1.0.1',
      () => git(work, 'tag', 'v1.0.1'),
      /package\.json at v1\.0\.1 says version "1\.1\.0"/,
    ],
  ])('refuses %s, and v1 stays where it was', (_name, tag, setup, message) => {
    commit('1.0.0');
    git(work, 'tag', 'v1.0.0');
    expect(run('move-major', 'v1.0.0')).toBe(0);
    const c1 = at(work, 'v1');
    commit(tag === 'v1.2.0' ? '1.2.0' : '1.1.0');
    setup();

    expect(run('check', tag)).toBe(1);
    expect(run('move-major', tag)).toBe(1);
    expect(err[0]).toMatch(message);
    expect(err[1]).toBe(err[0]);
    expect(at(work, 'v1')).toBe(c1);
  });

  test('a prerelease passes the check and leaves v1 alone', () => {
    const c1 = commit('1.0.0');
    git(work, 'tag', 'v1.0.0');
    expect(run('move-major', 'v1.0.0')).toBe(0);
    commit('1.1.0-rc.1', '## [1.1.0-rc.1] - 2026-12-09\n- Try it.\n');
    git(work, 'tag', 'v1.1.0-rc.1');

    expect(run('check', 'v1.1.0-rc.1')).toBe(0);
    expect(run('move-major', 'v1.1.0-rc.1')).toBe(0);
    expect(at(work, 'v1')).toBe(c1);
    expect(out.at(-1)).toBe('v1 unchanged: a prerelease never moves the major tag');
  });

  test('v2.0.0 creates v2 and leaves v1 on the last 1.x', () => {
    const c1 = commit('1.0.0');
    git(work, 'tag', 'v1.0.0');
    expect(run('move-major', 'v1.0.0')).toBe(0);
    const c2 = commit('2.0.0', '## [2.0.0] - 2027-01-01\n### Removed\n- Node 20.\n');
    git(work, 'tag', 'v2.0.0');

    expect(run('move-major', 'v2.0.0')).toBe(0);
    expect(at(work, 'v2')).toBe(c2);
    expect(at(work, 'v1')).toBe(c1);
  });

  test('bad usage prints the usage and exits 2', () => {
    expect(run('publish', 'v1.0.0')).toBe(2);
    expect(run('move-major', 'v1.0.0', '--push')).toBe(2);
    expect(err[0]).toMatch(/^usage: node scripts\/release\.ts check/);
  });
});
