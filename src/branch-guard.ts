import { minimatch } from 'minimatch';
import type { RunContext } from './context';

export interface DeployDecision {
  /** May this run change the registry (push)? */
  mayPush: boolean;
  /** May this run migrate, deploy and verify? */
  mayDeploy: boolean;
  /** Why not, in words for the summary. */
  reason?: string;
}

/**
 * Pull requests never push or deploy (their code is not reviewed yet, and a fork's run must not
 * touch production). Other events deploy only from branches matching `deploy-on`, which defaults to
 * the repository's default branch.
 */
export function decideDeploy(ctx: RunContext, deployOn: string[] | undefined): DeployDecision {
  if (ctx.isPullRequest) {
    return {
      mayPush: false,
      mayDeploy: false,
      reason: 'pull-request events never deploy (they run gate and build without push)',
    };
  }
  const patterns = deployOn ?? [ctx.defaultBranch];
  if (!ctx.branch) {
    return {
      mayPush: true,
      mayDeploy: false,
      reason: `${ctx.ref || 'this ref'} is not a branch; deploy-on lists branches (${patterns.join(', ')})`,
    };
  }
  if (!patterns.some((p) => minimatch(ctx.branch!, p))) {
    return {
      mayPush: true,
      mayDeploy: false,
      reason: `branch ${ctx.branch} does not match deploy-on (${patterns.join(', ')})`,
    };
  }
  return { mayPush: true, mayDeploy: true };
}
