import type { VerifyInputs } from '../inputs';
import type { Log } from '../log';
import type { StageResult } from '../types';
import type { Version } from '../deploy/release';
import type { DeployTarget, TargetOutcome } from '../deploy/target';
import { probeUrl, runSmoke, type SmokeResult, type UrlCheck } from '../deploy/verify';

export interface VerifyResult extends StageResult {
  health?: UrlCheck;
  smoke?: SmokeResult;
  autoRolledBack: boolean;
  rollback?: TargetOutcome;
  /** What serves after verify (the previous version after an automatic rollback). */
  live?: Version;
}

export interface VerifyOptions {
  /** The public address of the new version (the proxy), given to smoke-command as URL. */
  url?: string;
  previous?: Version;
  current?: Version;
  target: DeployTarget;
  workDir: string;
  signal?: AbortSignal;
  log: Log;
}

/**
 * Checks the new version where users reach it, after the switch. On failure with auto-rollback,
 * the target puts the previous version back (docker: the retained container, health-checked first).
 */
export async function runVerify(v: VerifyInputs, o: VerifyOptions): Promise<VerifyResult> {
  if (!v.healthUrl && !v.smokeCommand) {
    return {
      status: 'skipped',
      detail: 'no health-url or smoke-command set (the new version was health-checked before the switch)',
      autoRolledBack: false,
      live: o.current,
    };
  }
  const r: VerifyResult = { status: 'passed', detail: '', autoRolledBack: false, live: o.current };
  const problems: string[] = [];
  if (v.healthUrl) {
    o.log.info(`Probing ${v.healthUrl}…`);
    r.health = await probeUrl({
      url: v.healthUrl,
      timeoutMs: v.healthTimeoutMs,
      intervalMs: v.healthIntervalMs,
      status: v.healthStatus,
      signal: o.signal,
      log: o.log.info,
    });
    if (!r.health.ok)
      problems.push(
        `health-url ${v.healthUrl} did not answer ${v.healthStatus} (${r.health.lastStatus ? `HTTP ${r.health.lastStatus}` : (r.health.lastError ?? 'no answer')})`,
      );
  }
  if (v.smokeCommand && problems.length === 0) {
    o.log.info('Running smoke-command…');
    r.smoke = await runSmoke({
      command: v.smokeCommand,
      url: v.healthUrl ?? o.url ?? '',
      cwd: o.workDir,
      signal: o.signal,
      log: o.log.info,
    });
    if (!r.smoke.ok)
      problems.push(
        r.smoke.timedOut ? 'smoke-command timed out' : `smoke-command exited with code ${r.smoke.exitCode}`,
      );
  }
  if (problems.length === 0)
    return {
      ...r,
      detail: [r.health && 'health-url answered', r.smoke && 'smoke-command passed']
        .filter(Boolean)
        .join(', '),
    };

  const failed = problems.join('; ');
  const prev = o.previous;
  if (!v.autoRollback)
    return {
      ...r,
      status: 'failed',
      detail: `${failed}; auto-rollback is off, so the new version stays live`,
      hint: rerunHint(prev),
    };
  if (!prev || prev.sha === o.current?.sha) {
    return {
      ...r,
      status: 'failed',
      detail: `${failed}; nothing else was live before, so there is nothing to roll back to`,
      hint: 'Fix the new version and push again.',
    };
  }
  o.log.info(`Verify failed: rolling back to ${prev.sha.slice(0, 7)}…`);
  r.rollback = await o.target.restore(prev, o.current);
  if (r.rollback.ok && v.healthUrl) {
    // A command target's rollback is otherwise trusted on its exit code alone: check where users reach it.
    const again = await probeUrl({
      url: v.healthUrl,
      timeoutMs: v.healthTimeoutMs,
      intervalMs: v.healthIntervalMs,
      status: v.healthStatus,
      log: o.log.info,
    });
    if (!again.ok) {
      const why = again.lastStatus ? `HTTP ${again.lastStatus}` : (again.lastError ?? 'no answer');
      r.rollback = {
        ...r.rollback,
        ok: false,
        detail: `the previous version was restored but ${v.healthUrl} still fails (${why})`,
      };
    }
  }
  if (!r.rollback.ok) {
    return {
      ...r,
      status: 'failed',
      detail: `${failed}; automatic rollback FAILED: ${r.rollback.detail}`,
      hint: `Roll back by hand: ${rerunHint(prev)}`,
    };
  }
  return {
    ...r,
    status: 'failed',
    autoRolledBack: true,
    live: r.rollback.current ?? prev,
    detail: `${failed}; rolled back automatically to ${prev.sha.slice(0, 7)}`,
    hint: `The previous version (${prev.sha.slice(0, 7)}) is serving again. Fix the new version and push again.`,
  };
}

function rerunHint(previous: Version | undefined): string {
  if (!previous) return 'Fix the new version and push again.';
  return previous.runUrl
    ? `re-run ${previous.runUrl} (it deployed ${previous.sha.slice(0, 7)}), or dispatch with rollback-to: ${previous.sha}.`
    : `dispatch with rollback-to: ${previous.sha}, or re-run the workflow run that deployed it.`;
}
