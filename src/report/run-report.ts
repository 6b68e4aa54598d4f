import type { RunContext } from '../context';
import type { DeployDecision } from '../branch-guard';
import type { GateResult } from '../stages/gate';
import type { BuildResult } from '../stages/build';
import type { MigrateResult } from '../stages/migrate';
import type { DeployResult } from '../stages/deploy';
import type { VerifyResult } from '../stages/verify';
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
  /** Set when inputs were invalid: nothing else ran. */
  inputError?: string;
  dryRun: boolean;
  durationMs: number;
}

export function failedStage(r: RunReport): StageName | undefined {
  return r.records.find((s) => s.status === 'failed')?.name;
}

/**
 * `deployed` when a deploy stage succeeded; `failed` when any stage failed; `planned` for a dry
 * run; otherwise `skipped`: the checks ran but nothing was deployed (no deploy-to, a pull request,
 * or a branch outside deploy-on), and the stages table says why.
 */
export function resultOf(r: RunReport): RunResultKind {
  // A failed verify that restored the previous version is its own outcome (the run still fails).
  if (r.verify?.autoRolledBack) return 'rolled-back';
  if (r.inputError || failedStage(r)) return 'failed';
  if (r.dryRun) return 'planned';
  return r.records.some((s) => s.name === 'deploy' && s.status === 'passed') ? 'deployed' : 'skipped';
}
