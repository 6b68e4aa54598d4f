import type { CoreV1Event, V1Deployment, V1Job, V1Lease, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import type { PodProblem } from './pods';
import type { Progress } from './rollout';

/** What a Kubernetes deploy or undo did, for the summary's rollout section. */
export interface KubeRollout {
  context: string;
  namespace: string;
  deployment: string;
  container: string;
  /** deployment.kubernetes.io/revision before and after. */
  revisionBefore?: number;
  revisionAfter?: number;
  /** How the version went live: a new revision from a patched image, or an undo to an older one. */
  how: 'patch' | 'undo';
  /** The image the change put in the template (by digest when one was known). */
  image?: string;
  progress?: Progress;
  timeToAvailableMs?: number;
  /** The rollout's failure, in kubectl's words. */
  failure?: string;
  problems: PodProblem[];
  /** The automatic undo after a failed rollout. */
  undo?: { toRevision: number; ok: boolean; detail: string };
}

export interface KubernetesTargetConfig {
  /** kubeconfig contents (decoded); unset: the runner's KUBECONFIG. */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** The Deployment's name. */
  app: string;
  container?: string;
  environment: string;
  rolloutTimeoutMs: number;
  lockWaitMs: number;
  /** Who holds the deploy lock (run id, attempt, runner), unique per process. */
  holder: string;
  runUrl?: string;
  /** migrate-command runs as a Job: preflight asks for jobs too. */
  migrationJob: boolean;
  dryRun: boolean;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** How often the rollout and the lock are read (tests and the bench keep the default). */
  pollMs?: number;
}

/**
 * An API object as JSON carries it: client-node's model types (only the types: its generated code
 * is never loaded), with their Date fields as the RFC 3339 strings they are on the wire.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type Deployment = Wire<V1Deployment>;
export type ReplicaSet = Wire<V1ReplicaSet>;
export type Lease = Wire<V1Lease>;
export type Pod = Wire<V1Pod>;
export type KubeEvent = Wire<CoreV1Event>;
export type Job = Wire<V1Job>;
