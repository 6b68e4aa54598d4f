import type { DockerDeployResult } from './docker';
import type { KubeRollout } from './kubernetes/types';
import type { Version } from './release';

/** How one attempt to put a version live went, in the same shape for every target. */
export interface TargetOutcome {
  ok: boolean;
  detail: string;
  cancelled?: boolean;
  /** What served before (as the target saw it) and what serves now. */
  previous?: Version;
  current?: Version;
  url?: string;
  /** Docker engine details for the summary (probes, logs, pruned containers). */
  docker?: DockerDeployResult;
  /** The rollout on a cluster (revisions, progress, pod failure reasons, the undo). */
  kubernetes?: KubeRollout;
  /** The target undid a failed rollout itself (Kubernetes): the previous version serves again. */
  autoRolledBack?: boolean;
  /** The user's command, for the command target. */
  command?: { name: 'deploy-command' | 'rollback-command'; exitCode: number; tail: string[] };
}

/**
 * A place versions go live. Deploy, verify's automatic rollback, re-run rollbacks and
 * `rollback-to` all speak to a target through this, so they behave the same on every kind.
 */
export interface DeployTarget {
  readonly kind: 'docker' | 'command' | 'kubernetes';
  /** Where, for the summary (a Docker host, or "deploy-command"). */
  readonly where: string;
  /**
   * Reaches the target and checks its credentials (and, over SSH, its host key), changing
   * nothing: run before the build pushes or migrations run, so an unreachable target stops the
   * run while nothing has changed. Throws an Error whose message says what to fix.
   */
  preflight(): Promise<void>;
  /**
   * Holds the target's one-deploy-at-a-time lock from now until the returned release: the deploy
   * stage takes it before `state()` and keeps it through `deploy`/`restore`, so the decision and
   * the change see the same state and the target need not read it again under its own lock.
   * Targets without a lock of their own (or that take it inside `deploy`) leave it out.
   */
  lock?(): Promise<() => Promise<void>>;
  /** The live version and the versions the target still has, read without changing anything. */
  state(): Promise<{ live?: Version; retained: Version[] }>;
  /** Puts `v` live. */
  deploy(v: Version, live?: Version): Promise<TargetOutcome>;
  /** Puts an earlier version `v` back live over `failed` (automatic rollback, rollback-to). */
  restore(v: Version, failed?: Version): Promise<TargetOutcome>;
  /** The steps `deploy` would take, for dry-run. */
  plan(v: Version, live?: Version, restore?: boolean): string[] | Promise<string[]>;
}
