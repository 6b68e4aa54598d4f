/**
 * The changes sent to a Deployment, built apart from sending them (every one is table-tested):
 * set one container's image by digest with safe-deploy's annotations, and restore an earlier
 * revision's pod template as `kubectl rollout undo` does.
 */
import type { Deployment, ReplicaSet } from './types';
import { ANNOTATIONS, POD_TEMPLATE_HASH } from './annotations';

export interface ReleaseMeta {
  sha: string;
  /** `<repository>@<digest>` (or a tag when no digest is known). */
  image: string;
  runUrl?: string;
  /** ISO time. */
  deployedAt: string;
  /** For kubernetes.io/change-cause (what `kubectl rollout history` shows). */
  cause: string;
}

export function releaseAnnotations(m: ReleaseMeta): Record<string, string> {
  const a: Record<string, string> = {
    [ANNOTATIONS.sha]: m.sha,
    [ANNOTATIONS.imageRef]: m.image,
    [ANNOTATIONS.deployedAt]: m.deployedAt,
    [ANNOTATIONS.changeCause]: m.cause,
  };
  if (m.runUrl) a[ANNOTATIONS.runUrl] = m.runUrl;
  return a;
}

/**
 * A strategic merge patch: containers merge by `name`, so only the named container's image
 * changes and every other field (and container) stays as the cluster has it. Image and
 * annotations go in one request, so the ReplicaSet the controller creates carries both.
 */
export function imagePatch(container: string, m: ReleaseMeta): Record<string, unknown> {
  return {
    metadata: { annotations: releaseAnnotations(m) },
    spec: { template: { spec: { containers: [{ name: container, image: m.image }] } } },
  };
}

/** ReplicaSet annotations the controller owns; `kubectl rollout undo` never copies them back. */
const SKIPPED_ON_UNDO = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
  'deprecated.daemonset.template.generation',
  // Ours, for the ReplicaSet alone: it must not travel to the Deployment (and on to the next one).
  ANNOTATIONS.rolloutFailed,
]);

/** The ReplicaSet's mark after its rollout failed (value: why), or its removal (null) once it served. */
export function failedMarkPatch(why: string | null): Record<string, unknown> {
  return { metadata: { annotations: { [ANNOTATIONS.rolloutFailed]: why } } };
}

export interface JsonPatchOp {
  op: 'replace' | 'add' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

/**
 * `kubectl rollout undo`: the earlier ReplicaSet's pod template (minus the pod-template-hash
 * label the controller added) becomes the Deployment's template again, so the controller scales
 * that same ReplicaSet back up (nothing new is created, nothing pulled); the Deployment's
 * annotations come back from it too (our sha and image-ref among them). The `test` op makes the
 * patch fail if someone changed the Deployment's spec since we read it: on its generation, which
 * only a spec change moves. Its resourceVersion also moves with every status update the deployment
 * controller writes during a rollout, which made the undo fail at random ("the server rejected our
 * request", seen in the full suite).
 */
export function undoPatch(d: Deployment, to: ReplicaSet): JsonPatchOp[] {
  const template = structuredClone(to.spec?.template ?? {}) as NonNullable<
    NonNullable<ReplicaSet['spec']>['template']
  >;
  if (template.metadata?.labels) {
    const labels = { ...template.metadata.labels };
    delete labels[POD_TEMPLATE_HASH];
    template.metadata = { ...template.metadata, labels };
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {}))
    if (SKIPPED_ON_UNDO.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(to.metadata?.annotations ?? {}))
    if (!SKIPPED_ON_UNDO.has(k)) annotations[k] = v;
  return [
    { op: 'test', path: '/metadata/generation', value: d.metadata?.generation },
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ];
}
