/**
 * Release helper for the release workflow (.github/workflows/release.yml), also runnable by hand:
 *
 *   node scripts/release.ts check v1.2.3 [--notes-file notes.md]   validate, write the release notes
 *   node scripts/release.ts move-major v1.2.3 [--push origin]       point v1 at v1.2.3 (and push it)
 *
 * Users pin `org/safe-deploy@v1`, so `v1` must always name the newest 1.x.y release and never go
 * back. `check` runs before anything is published; `move-major` checks again, then moves the tag.
 * The decisions (version parsing, release notes, whether the major tag moves) are pure functions;
 * only `main` and `git` touch the repository. Runs on Node 24 (type stripping), as the workflow
 * does, and is imported by its jest test.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export class ReleaseError extends Error {
  override name = 'ReleaseError';
}

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** `rc.1` in `v1.2.0-rc.1`; a prerelease never moves the major tag. */
  prerelease?: string;
}

// semver.org's grammar, with the `v` that action tags carry; build metadata (`+…`) is not allowed in
// a Git tag we publish (GitHub would show it, Dependabot ignores it).
const NUM = '(0|[1-9]\\d*)';
const PRE_ID = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)';
const TAG_RE = new RegExp(`^v${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?$`);

export function parseVersionTag(tag: string): Version {
  const m = TAG_RE.exec(tag);
  if (!m) {
    throw new ReleaseError(
      `tag ${JSON.stringify(tag)} is not a release tag: use vMAJOR.MINOR.PATCH (e.g. v1.2.3, or v1.2.3-rc.1 for a prerelease)`,
    );
  }
  const v: Version = { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
  if (m[4] !== undefined) v.prerelease = m[4];
  return v;
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
}

/** semver precedence: a prerelease sorts before its release; identifiers compare numerically when numeric. */
export function compareVersions(a: Version, b: Version): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (a.prerelease === b.prerelease) return 0;
  if (a.prerelease === undefined) return 1;
  if (b.prerelease === undefined) return -1;
  const pa = a.prerelease.split('.');
  const pb = b.prerelease.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The body of the version's section in a Keep a Changelog file: from its `## [1.2.3] - date`
 * heading to the next `## ` heading, without the link definitions (`[1.2.3]: https://…`) that
 * close the file.
 */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.replace(/\r\n?/g, '\n').split('\n');
  const escaped = version.replace(/[.+-]/g, (c) => `\\${c}`);
  const heading = new RegExp(`^##\\s+\\[?v?${escaped}\\]?(?:\\s|$)`);
  const start = lines.findIndex((l) => heading.test(l));
  if (start < 0) {
    throw new ReleaseError(
      `CHANGELOG.md has no section for ${version}: add a "## [${version}] - YYYY-MM-DD" heading with the release's changes`,
    );
  }
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^##\s/.test(l));
  const body = (end < 0 ? rest : rest.slice(0, end)).filter((l) => !/^\[[^\]]+\]:\s*\S/.test(l));
  const notes = body.join('\n').trim();
  if (!notes)
    throw new ReleaseError(`CHANGELOG.md's section for ${version} is empty: list the release's changes`);
  return notes;
}

export type MajorMove =
  | { action: 'create'; tag: string }
  | { action: 'move'; tag: string; from: string }
  | { action: 'keep'; tag: string; reason: string };

/**
 * Whether `v<major>` moves to the release being published, given the release tags on the commit it
 * points at now (undefined when it does not exist yet). Never backwards: a patch to an older minor
 * (`v1.0.1` after `v1.1.0`) is published but cannot become `v1`.
 */
export function decideMajorTag(
  release: Version,
  current: { tags: readonly string[] } | undefined,
): MajorMove {
  const tag = `v${release.major}`;
  if (release.prerelease) return { action: 'keep', tag, reason: 'a prerelease never moves the major tag' };
  if (!current) return { action: 'create', tag };
  const same = current.tags
    .map((t) => {
      try {
        return parseVersionTag(t);
      } catch {
        return undefined;
      }
    })
    .filter((v): v is Version => v !== undefined && v.major === release.major && !v.prerelease)
    .sort(compareVersions);
  const newest = same[same.length - 1];
  if (!newest) {
    throw new ReleaseError(
      `${tag} points at a commit that no v${release.major}.x.y release tag names, so whether moving it goes back ` +
        `cannot be told: tag that commit with its version, or move ${tag} by hand (git tag -f ${tag} v${formatVersion(release)} && git push -f origin ${tag})`,
    );
  }
  const cmp = compareVersions(release, newest);
  if (cmp < 0) {
    throw new ReleaseError(
      `${tag} is at v${formatVersion(newest)}, newer than v${formatVersion(release)}: moving it would take every ` +
        `user of @${tag} back. Publish v${formatVersion(release)} without moving ${tag}, or release a version after v${formatVersion(newest)}`,
    );
  }
  if (cmp === 0)
    return { action: 'keep', tag, reason: `${tag} already points at v${formatVersion(release)}` };
  return { action: 'move', tag, from: `v${formatVersion(newest)}` };
}

// ---- I/O: git and the command line ----

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new ReleaseError(`git ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}`);
  }
}

function tryGit(cwd: string, args: string[]): string | undefined {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
}

function commitOf(cwd: string, ref: string): string | undefined {
  return tryGit(cwd, ['rev-parse', '--verify', '--quiet', `refs/tags/${ref}^{commit}`]);
}

/** Everything that must hold before a release is published; returns its notes. */
export function checkRelease(cwd: string, tag: string): { version: Version; commit: string; notes: string } {
  const version = parseVersionTag(tag);
  const commit = commitOf(cwd, tag);
  if (!commit)
    throw new ReleaseError(`tag ${tag} does not exist here: create it (git tag ${tag}) and push it`);
  const pkgText = tryGit(cwd, ['show', `${commit}:package.json`]);
  if (pkgText === undefined) throw new ReleaseError(`${tag} has no package.json`);
  const pkgVersion = (JSON.parse(pkgText) as { version?: string }).version;
  if (pkgVersion !== formatVersion(version)) {
    throw new ReleaseError(
      `package.json at ${tag} says version ${JSON.stringify(pkgVersion)}, the tag ${formatVersion(version)}: ` +
        `set "version": "${formatVersion(version)}", commit, and tag that commit`,
    );
  }
  const changelog = tryGit(cwd, ['show', `${commit}:CHANGELOG.md`]);
  if (changelog === undefined) throw new ReleaseError(`${tag} has no CHANGELOG.md`);
  const notes = releaseNotes(changelog, formatVersion(version));
  // Fails here, before the release is published, rather than after.
  decideMajorTag(version, currentMajor(cwd, version.major));
  return { version, commit, notes };
}

function currentMajor(cwd: string, major: number): { tags: string[] } | undefined {
  const commit = commitOf(cwd, `v${major}`);
  if (!commit) return undefined;
  const tags = git(cwd, ['tag', '--points-at', commit]).split('\n').filter(Boolean);
  return { tags };
}

export function moveMajor(cwd: string, tag: string, remote?: string): MajorMove {
  // The remote's tags are the truth (a runner's clone may hold stale ones).
  if (remote) git(cwd, ['fetch', '--quiet', '--force', '--tags', remote]);
  const { version, commit } = checkRelease(cwd, tag);
  const move = decideMajorTag(version, currentMajor(cwd, version.major));
  if (move.action === 'keep') return move;
  git(cwd, ['tag', '--force', move.tag, commit]);
  if (remote) git(cwd, ['push', '--quiet', '--force', remote, `refs/tags/${move.tag}:refs/tags/${move.tag}`]);
  return move;
}

const USAGE =
  'usage: node scripts/release.ts check <vX.Y.Z> [--notes-file <path>]\n' +
  '       node scripts/release.ts move-major <vX.Y.Z> [--push <remote>]';

/** The command line; returns the exit code. */
export function main(
  argv: readonly string[],
  cwd = process.cwd(),
  out = console.log,
  err = console.error,
): number {
  const [command, tag, flag, value] = argv;
  try {
    if (command === 'check' && tag && (flag === undefined || (flag === '--notes-file' && value))) {
      const { version, notes } = checkRelease(cwd, tag);
      if (value) writeFileSync(value, `${notes}\n`);
      out(
        `${tag} can be released${version.prerelease ? ' (prerelease)' : ''}; notes: ${notes.split('\n').length} lines`,
      );
      return 0;
    }
    if (command === 'move-major' && tag && (flag === undefined || (flag === '--push' && value))) {
      const move = moveMajor(cwd, tag, value);
      if (move.action === 'keep') out(`${move.tag} unchanged: ${move.reason}`);
      else out(`${move.tag} -> ${tag}${move.action === 'move' ? ` (was ${move.from})` : ' (new)'}`);
      return 0;
    }
    err(USAGE);
    return 2;
  } catch (e) {
    if (!(e instanceof ReleaseError)) throw e;
    err(`release: ${e.message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
