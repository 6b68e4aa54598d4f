import type { RunContext } from '../context';
import type { DeployDecision } from '../branch-guard';
import type { GateResult } from '../stages/gate';
import type { BuildResult } from '../stages/build';
import type { MigrateResult } from '../stages/migrate';
import type { DeployResult } from '../stages/deploy';
import type { VerifyResult } from '../stages/verify';
import type { GitHubDeployments } from '../github/deployments';
import type { StageName, StageRecord } from '../types';

export type RunResultKind = 'deployed' | 'rolled-back' | 'failed' | 'skipped' | 'planned';

/** Everything the report needs, gathered by main.ts; the report stage only reads it. */
export interface RunReport {
  environment: string;
  workDir?: string;
  ctx?: RunContext;
  decision?: DeployDecision;
  records: StageRecord[];
  gate?: GateResult;
  build?: BuildResult;
  migrate?: MigrateResult;
  deploy?: DeployResult;
  verify?: VerifyResult;
  targetKind?: 'docker' | 'command' | 'kubernetes';
  /** GitHub deployments client, when a token was given; the id of this run's deployment. */
  github?: GitHubDeployments;
  deploymentId?: number;
  /** The deployment record being created while the deploy runs; settles into `deploymentId`. */
  deploymentStarted?: Promise<number | undefined>;
  /** health-url, the public address when the target does not know one. */
  verifyUrl?: string;
  /** Set when inputs were invalid: nothing else ran. */
  inputError?: string;
  dryRun: boolean;
  durationMs: number;
}

export function failedStage(r: RunReport): StageName | undefined {
  return r.records.find((s) => s.status === 'failed')?.name;
}

/**
 * `deployed`: a new version went live. `rolled-back`: this run put an older version live, either
 * on purpose (a re-run of an old run, rollback-to: `rollback=true`) or because verify failed and
 * the previous version was restored (`auto-rolled-back=true`; the run fails). `failed`: a stage
 * failed. `planned`: a dry run. `skipped`: the checks ran, nothing was deployed (no deploy-to, a
 * pull request, a branch outside deploy-on); the stages table says why.
 */
export function resultOf(r: RunReport): RunResultKind {
  if (autoRolledBack(r)) return 'rolled-back';
  if (r.inputError || failedStage(r)) return 'failed';
  if (r.dryRun) return 'planned';
  if (r.deploy?.status !== 'passed') return 'skipped';
  return isRollback(r) ? 'rolled-back' : 'deployed';
}

/** The previous version was restored automatically: after a failed verify, or a failed rollout (Kubernetes). */
export function autoRolledBack(r: RunReport): boolean {
  return !!(r.verify?.autoRolledBack || r.deploy?.outcome?.autoRolledBack);
}

/** This run put an older commit live on purpose (a re-run or rollback-to), and it worked. */
export function isRollback(r: RunReport): boolean {
  return (
    r.deploy?.status === 'passed' &&
    r.deploy.release?.isRollback === true &&
    !autoRolledBack(r) &&
    r.verify?.status !== 'failed'
  );
}
