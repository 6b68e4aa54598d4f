/**
 * Names safe-deploy writes on a Deployment. The deployment controller copies a Deployment's
 * annotations onto the ReplicaSet it creates for each revision, so every revision keeps the
 * commit it came from: that is the history `rollback-to` and re-runs resolve against.
 */
export const ANNOTATIONS = {
  sha: 'dev.safe-deploy/sha',
  imageRef: 'dev.safe-deploy/image-ref',
  runUrl: 'dev.safe-deploy/run-url',
  deployedAt: 'dev.safe-deploy/deployed-at',
  changeCause: 'kubernetes.io/change-cause',
  /**
   * On a ReplicaSet whose rollout failed and was undone: that commit never served here, so it is
   * no version to roll back to (a re-run of its run is a new attempt, not a rollback).
   */
  rolloutFailed: 'dev.safe-deploy/rollout-failed',
} as const;

/** The deployment controller's own annotations. */
export const REVISION = 'deployment.kubernetes.io/revision';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
