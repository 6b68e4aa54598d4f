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
