/**
 * The migration Job: `migrate-command` in the new image, with the app container's env and envFrom
 * (so DATABASE_URL can come from a cluster Secret), the pod's service account, pull secrets and
 * placement. It runs once (backoffLimit 0: a migration is not retried blindly) and is removed by
 * the cluster after `ttlSecondsAfterFinished` even if the run dies before cleaning up.
 */
import type { Deployment, Job } from './types';

export interface MigrationJobSpec {
  app: string;
  sha: string;
  image: string;
  command: string;
  container: string;
  /** Random suffix, so a re-run never collides with a Job still being cleaned up. */
  suffix: string;
  deadlineSeconds: number;
}

export const JOB_TTL_SECONDS = 600;

export function migrationJobName(app: string, sha: string, suffix: string): string {
  // Job names end up as a label value (job-name): at most 63 characters.
  const tail = `-migrate-${sha.slice(0, 7)}-${suffix}`;
  return `${app.slice(0, 63 - tail.length).replace(/[^a-z0-9]+$/, '')}${tail}`.replace(/[^a-z0-9-]/g, '-');
}

export function migrationJob(d: Deployment, s: MigrationJobSpec): Job {
  const pod = d.spec?.template?.spec;
  const c = pod?.containers.find((x) => x.name === s.container);
  const labels = { 'app.kubernetes.io/managed-by': 'safe-deploy', 'dev.safe-deploy/app': s.app };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: migrationJobName(s.app, s.sha, s.suffix),
      namespace: d.metadata?.namespace,
      labels: { ...labels, 'dev.safe-deploy/role': 'migrate' },
      annotations: { 'dev.safe-deploy/sha': s.sha },
    },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      activeDeadlineSeconds: s.deadlineSeconds,
      template: {
        metadata: { labels: { ...labels, 'dev.safe-deploy/role': 'migrate' } },
        spec: {
          restartPolicy: 'Never',
          serviceAccountName: pod?.serviceAccountName,
          imagePullSecrets: pod?.imagePullSecrets,
          nodeSelector: pod?.nodeSelector,
          tolerations: pod?.tolerations,
          containers: [
            {
              name: 'migrate',
              image: s.image,
              command: ['sh', '-c', s.command],
              env: c?.env,
              envFrom: c?.envFrom,
              volumeMounts: undefined,
            },
          ],
        },
      },
    },
  };
}

export type JobState = { state: 'running' } | { state: 'succeeded' } | { state: 'failed'; reason: string };

export function jobState(j: Job): JobState {
  const cond = j.status?.conditions?.find(
    (c) => (c.type === 'Failed' || c.type === 'Complete') && c.status === 'True',
  );
  if (cond?.type === 'Complete' || (j.status?.succeeded ?? 0) > 0) return { state: 'succeeded' };
  if (cond?.type === 'Failed')
    return {
      state: 'failed',
      reason: `${cond.reason ?? 'Failed'}${cond.message ? `: ${cond.message}` : ''}`,
    };
  if ((j.status?.failed ?? 0) > 0) return { state: 'failed', reason: 'the migration pod failed' };
  return { state: 'running' };
}
