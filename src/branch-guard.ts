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
export async function decideDeploy(ctx: RunContext, deployOn: string[] | undefined): Promise<DeployDecision> {
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
  const branch = ctx.branch;
  // minimatch is ~140 KB of code to load on every run; a plain branch name (the default, and most
  // deploy-on lists) means the same to it as to ===, so it is loaded only for a glob.
  const glob = patterns.every(isPlain) ? undefined : (await import('minimatch')).minimatch;
  const matches = (p: string): boolean => (glob ? glob(branch, p) : p === branch);
  if (!patterns.some(matches)) {
    return {
      mayPush: true,
      mayDeploy: false,
      reason: `branch ${ctx.branch} does not match deploy-on (${patterns.join(', ')})`,
    };
  }
  return { mayPush: true, mayDeploy: true };
}

/** No character minimatch gives a meaning (globs, classes, braces, extglobs, escapes, `#` comments). */
export const isPlain = (pattern: string): boolean => !/[*?[\]{}()!+@\\#]/.test(pattern);
