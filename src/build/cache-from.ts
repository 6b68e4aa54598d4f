/**
 * Where a fresh runner finds its build cache: images this repository already pushed. Every image
 * safe-deploy pushes is tagged `<image>:<commit sha>` and carries BuildKit inline cache metadata,
 * so the images of commits close to this one hold most of its layers:
 *  - the commit's parents (from git in the workspace);
 *  - the commit the pushed branch pointed at before this push (`before` in a push event): with one
 *    push per deploy that is the version live now, and on GitHub's default shallow checkout
 *    (fetch-depth 1) it is the only parent git cannot tell;
 *  - a pull request's base commit.
 * The live version is not read from the deploy target here (that happens after the build); the
 * previous push stands in for it.
 */
import { execFile } from 'node:child_process';

const SHA_RE = /^[0-9a-f]{40}$/;

/**
 * The parents of `sha` known to git in `dir`; none when git or the commit is not there (shallow
 * clone). Asynchronous so git runs while the build's other questions are in flight.
 */
export function gitParents(dir: string, sha: string): Promise<string[]> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', `${sha}^@`], { cwd: dir, encoding: 'utf8' }, (err, out) =>
      resolve(
        err
          ? []
          : out
              .split('\n')
              .map((l) => l.trim())
              .filter((l) => SHA_RE.test(l)),
      ),
    );
  });
}

/** Commits named by the event payload that are likely built already: `before`, a pull request's base. */
export function eventCommits(payload: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof payload.before === 'string') out.push(payload.before);
  const pr = payload.pull_request as { base?: { sha?: unknown } } | undefined;
  if (typeof pr?.base?.sha === 'string') out.push(pr.base.sha);
  return out;
}

/**
 * The refs to try as cache, best first, without duplicates, the commit itself or the all-zero
 * `before` of a new branch.
 */
export function cacheFromCandidates(repo: string, sha: string, commits: string[]): string[] {
  const seen = new Set<string>();
  for (const c of commits.map((x) => x.toLowerCase())) {
    if (!SHA_RE.test(c) || c === sha || /^0+$/.test(c)) continue;
    seen.add(c);
  }
  return [...seen].map((c) => `${repo}:${c}`);
}
