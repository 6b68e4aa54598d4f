import type { VerifyInputs } from '../inputs';
import type { Log } from '../log';
import type { StageResult } from '../types';
import { rollbackDocker, type DockerTargetOptions, type DockerVersion } from '../deploy/docker';
import { probeUrl, runSmoke, type SmokeResult, type UrlCheck } from '../deploy/verify';

export interface VerifyResult extends StageResult {
  health?: UrlCheck;
  smoke?: SmokeResult;
  autoRolledBack: boolean;
  /** What serves after verify (the previous version after an automatic rollback). */
  live?: DockerVersion;
}

export interface VerifyOptions {
  /** The public address of the new version (the proxy), given to smoke-command as URL. */
  url?: string;
  previous?: DockerVersion;
  current?: DockerVersion;
  target: DockerTargetOptions;
  workDir: string;
  signal?: AbortSignal;
  log: Log;
}

/**
 * Checks the new version where users reach it, after the switch. On failure with auto-rollback,
 * the retained previous container is restarted, health-checked and put back behind the proxy.
 */
export async function runVerify(v: VerifyInputs, o: VerifyOptions): Promise<VerifyResult> {
  if (!v.healthUrl && !v.smokeCommand) {
    return {
      status: 'skipped',
      detail: 'no health-url or smoke-command set (health-path was checked before the switch)',
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
  if (!v.autoRollback) {
    return {
      ...r,
      status: 'failed',
      detail: `${failed}; auto-rollback is off, so the new version stays live`,
      hint: rollbackHint(o.previous),
    };
  }
  if (!o.previous) {
    return {
      ...r,
      status: 'failed',
      detail: `${failed}; nothing was live before, so there is nothing to roll back to`,
      hint: 'Fix the new version and push again.',
    };
  }
  o.log.info(`Verify failed: rolling back to ${o.previous.sha.slice(0, 7)} (${o.previous.container})…`);
  const back = await rollbackDocker({ ...o.target, signal: undefined, to: o.previous.container });
  if (back.status === 'failed') {
    return {
      ...r,
      status: 'failed',
      detail: `${failed}; automatic rollback FAILED: ${back.detail}`,
      hint: `Roll back by hand: ${rollbackHint(o.previous)}`,
    };
  }
  return {
    ...r,
    status: 'failed',
    autoRolledBack: true,
    live: back.current ?? o.previous,
    detail: `${failed}; rolled back automatically to ${o.previous.sha.slice(0, 7)}`,
    hint: `The previous version (${o.previous.sha.slice(0, 7)}) is serving again. Fix the new version and push again.`,
  };
}

function rollbackHint(previous: DockerVersion | undefined): string {
  if (!previous) return 'Fix the new version and push again.';
  return previous.runUrl
    ? `re-run ${previous.runUrl} (it deployed ${previous.sha.slice(0, 7)}).`
    : `re-run the workflow run that deployed ${previous.sha.slice(0, 7)}.`;
}
