import type { Deployment } from './types';
import type { Revision } from './history';

/** What a deploy would do, for dry-run: live and new image, replicas and strategy, and the server's verdict. */
export function dryRunPlan(o: {
  deployment: Deployment;
  container: string;
  newImage: string;
  restoreTo?: Revision;
  serverCheck: string;
  timeoutMs: number;
}): string[] {
  const d = o.deployment;
  const live = d.spec?.template?.spec?.containers.find((c) => c.name === o.container)?.image ?? '(none)';
  const st = d.spec?.strategy;
  const ru = st?.rollingUpdate;
  const strategy =
    st?.type === 'Recreate'
      ? 'Recreate (every old pod stops before new ones start)'
      : `RollingUpdate (maxSurge ${ru?.maxSurge ?? '25%'}, maxUnavailable ${ru?.maxUnavailable ?? '25%'})`;
  const where = `deployment/${d.metadata?.name} in namespace ${d.metadata?.namespace}`;
  const change = o.restoreTo
    ? `undo ${where} to revision ${o.restoreTo.revision} (ReplicaSet ${o.restoreTo.replicaSet}, ${o.restoreTo.image}), as kubectl rollout undo`
    : `patch ${where}: container ${o.container} image ${live} → ${o.newImage}`;
  return [
    change,
    `replicas: ${d.spec?.replicas ?? 1} (${d.status?.availableReplicas ?? 0} available now); strategy: ${strategy}`,
    `wait for the rollout as kubectl rollout status does (rollout-timeout ${Math.round(o.timeoutMs / 1000)}s, progressDeadlineSeconds ${d.spec?.progressDeadlineSeconds ?? 600}); undo on failure`,
    `server-side dry run of the patch: ${o.serverCheck}`,
  ];
}
