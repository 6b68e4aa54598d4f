/**
 * Which version goes live, and whether that is a rollback. Pure: the inputs are what the target
 * and the deployment history say, so every rule here is unit-tested without a host.
 */

export interface Version {
  sha: string;
  /** What to run: a digest reference when known. */
  image: string;
  /** A retained container of it on the host (docker target): restarting it needs no pull. */
  container?: string;
  runUrl?: string;
  deployedAt?: string;
}

export interface KnownVersions {
  live?: Version;
  /** Versions this environment has had, newest first (retained containers, deployment history). */
  known: Version[];
}

export type ReleaseRequest =
  | { kind: 'commit'; sha: string; image: string }
  | {
      kind: 'rollback-to';
      to: string;
      /** <image> repository, to find a full SHA's image in the registry */ repository?: string;
    };

export interface Release {
  version: Version;
  /** Puts back a commit this environment had before, over another live one. */
  isRollback: boolean;
  live?: Version;
}

export class ReleaseError extends Error {}

export function resolveRelease(req: ReleaseRequest, state: KnownVersions): Release {
  const live = state.live;
  if (req.kind === 'commit') {
    const before = state.known.some((v) => v.sha === req.sha);
    const retained = state.known.find((v) => v.sha === req.sha && v.container);
    return {
      version: { sha: req.sha, image: req.image, container: retained?.container },
      isRollback: before && !!live && live.sha !== req.sha,
      live,
    };
  }
  const version = req.to === 'previous' ? previousOf(state) : bySha(req.to, state, req.repository);
  return { version, isRollback: !!live && live.sha !== version.sha, live };
}

/** The last version live before the current one: the newest known version that is not live. */
function previousOf(state: KnownVersions): Version {
  const found = state.known.find((v) => v.sha !== state.live?.sha);
  if (!found) {
    throw new ReleaseError(
      'rollback-to: previous: no earlier version is known for this environment (no retained container on the host and no earlier GitHub deployment)',
    );
  }
  return found;
}

function bySha(to: string, state: KnownVersions, repository: string | undefined): Version {
  const sha = to.toLowerCase();
  const matches = [...new Set(state.known.filter((v) => v.sha.startsWith(sha)).map((v) => v.sha))];
  if (matches.length > 1)
    throw new ReleaseError(
      `rollback-to: ${to} matches several commits (${matches.map((m) => m.slice(0, 12)).join(', ')}); give more of the SHA`,
    );
  if (matches.length === 1) return state.known.find((v) => v.sha === matches[0])!;
  if (sha.length === 40 && repository) return { sha, image: `${repository}:${sha}` };
  throw new ReleaseError(
    `rollback-to: ${to} is not a version this environment had (no retained container, no deployment)${sha.length < 40 ? '; give the full 40-character SHA to deploy <image>:<sha> from the registry' : '; set image to look it up in the registry'}`,
  );
}

/** Known versions from several sources, newest first by source order, one entry per SHA (the first wins). */
export function mergeKnown(...sources: Version[][]): Version[] {
  const seen = new Set<string>();
  const out: Version[] = [];
  for (const v of sources.flat()) {
    if (seen.has(v.sha)) continue;
    seen.add(v.sha);
    out.push(v);
  }
  return out;
}
