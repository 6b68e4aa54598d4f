/**
 * The live version and the history, read from the cluster: the Deployment's annotations, and one
 * entry per ReplicaSet revision (the controller copied our annotations onto each).
 */
import type { Deployment, ReplicaSet } from './types';
import type { Version } from '../release';
import { ANNOTATIONS, REVISION } from './annotations';

export interface Revision {
  revision: number;
  replicaSet: string;
  /** The commit, when safe-deploy made this revision. */
  sha?: string;
  image: string;
  runUrl?: string;
  deployedAt?: string;
  replicas: number;
  /** Its rollout failed and was undone (our mark on the ReplicaSet). */
  failed: boolean;
}

/**
 * The label selector that lists the Deployment's ReplicaSets (its matchLabels; "" lists the
 * namespace's, and revisionsOf keeps the ones it owns).
 */
export function labelSelectorOf(d: Deployment): string {
  return Object.entries(d.spec?.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** ReplicaSets the Deployment owns, newest revision first. */
export function revisionsOf(d: Deployment, sets: ReplicaSet[], container: string): Revision[] {
  const uid = d.metadata?.uid;
  return sets
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.uid === uid))
    .map((rs) => {
      const a = rs.metadata?.annotations ?? {};
      const c = rs.spec?.template?.spec?.containers?.find((x) => x.name === container);
      return {
        revision: Number(a[REVISION] ?? 0),
        replicaSet: rs.metadata?.name ?? '',
        sha: a[ANNOTATIONS.sha],
        image: c?.image ?? '',
        runUrl: a[ANNOTATIONS.runUrl],
        deployedAt: a[ANNOTATIONS.deployedAt],
        replicas: rs.status?.replicas ?? 0,
        failed: a[ANNOTATIONS.rolloutFailed] !== undefined,
      };
    })
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

/**
 * What is live: the Deployment's own annotations when its template still runs the image we put
 * there (someone's `kubectl set image` since then makes the sha unknown, and we say so).
 */
export function liveOf(
  d: Deployment,
  container: string,
): { version?: Version; image: string; foreign: boolean } {
  const a = d.metadata?.annotations ?? {};
  const image = d.spec?.template?.spec?.containers?.find((c) => c.name === container)?.image ?? '';
  const sha = a[ANNOTATIONS.sha];
  if (!sha) return { image, foreign: true };
  if (a[ANNOTATIONS.imageRef] && a[ANNOTATIONS.imageRef] !== image) return { image, foreign: true };
  return {
    image,
    foreign: false,
    version: { sha, image, runUrl: a[ANNOTATIONS.runUrl], deployedAt: a[ANNOTATIONS.deployedAt] },
  };
}

/** Versions that served here and the cluster can still put back, newest first, one per commit. */
export function versionsOf(revisions: Revision[]): Version[] {
  const seen = new Set<string>();
  const out: Version[] = [];
  for (const r of revisions) {
    if (!r.sha || r.failed || seen.has(r.sha)) continue;
    seen.add(r.sha);
    out.push({ sha: r.sha, image: r.image, runUrl: r.runUrl, deployedAt: r.deployedAt });
  }
  return out;
}

/** The newest revision that carries `sha` and served, when still within revisionHistoryLimit. */
export function revisionFor(revisions: Revision[], sha: string): Revision | undefined {
  return revisions.find((r) => r.sha === sha && !r.failed);
}
