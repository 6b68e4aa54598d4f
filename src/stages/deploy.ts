import type { Log } from '../log';
import type { StageResult } from '../types';
import {
  mergeKnown,
  ReleaseError,
  resolveRelease,
  type Release,
  type ReleaseRequest,
  type Version,
} from '../deploy/release';
import type { DeployTarget, TargetOutcome } from '../deploy/target';

export interface DeployResult extends StageResult {
  where: string;
  previous?: Version;
  current?: Version;
  release?: Release;
  outcome?: TargetOutcome;
  url?: string;
  /** dry-run: the steps deploy would take. */
  plan?: string[];
}

export interface DeployOptions {
  target: DeployTarget;
  request: ReleaseRequest;
  /**
   * Successful deployments of this environment, newest first (GitHub deployment history): awaited
   * after the target's lock and state read, so GitHub's round trip runs alongside them.
   */
  history: Promise<Version[]>;
  allowRollback: boolean;
  dryRun: boolean;
  environment: string;
  /** Called once the version is decided and allowed, before anything changes (GitHub deployment). */
  onRelease?: (r: Release) => Promise<void>;
  log: Log;
}

/** Reads what is live, decides what goes live (and whether that is a rollback), then does it. */
export async function runDeploy(o: DeployOptions): Promise<DeployResult> {
  await o.target.preflight();
  // Held from before the read of what is live until the change is done (a dry run changes
  // nothing and takes no lock): the decision and the change see the same state.
  let release: (() => Promise<void>) | undefined;
  try {
    release = o.dryRun ? undefined : await o.target.lock?.();
  } catch (err) {
    return {
      where: o.target.where,
      status: 'failed',
      detail: err instanceof Error ? err.message : String(err),
      hint: 'Nothing changed: the version that was live keeps serving.',
    };
  }
  try {
    return await decideAndPut(o);
  } finally {
    await release?.().catch((err: unknown) =>
      o.log.warn(`could not release the deploy lock: ${err instanceof Error ? err.message : String(err)}`),
    );
  }
}

async function decideAndPut(o: DeployOptions): Promise<DeployResult> {
  const base = { where: o.target.where };
  const state = await o.target.state();
  let release: Release;
  try {
    const history = await o.history;
    release = resolveRelease(o.request, { live: state.live, known: mergeKnown(state.retained, history) });
  } catch (err) {
    if (!(err instanceof ReleaseError)) throw err;
    return {
      ...base,
      status: 'failed',
      detail: err.message,
      previous: state.live,
      current: state.live,
      hint: 'Pick a version this environment had: see the deploy sections of earlier runs.',
    };
  }
  const { version, live } = release;
  const short = (v?: Version): string => v?.sha.slice(0, 7) ?? 'nothing';
  o.log.info(
    `Live in ${o.environment}: ${short(live)}. Putting ${short(version)} live${release.isRollback ? ' (a rollback)' : ''}.`,
  );
  const common = { ...base, release, previous: live };
  if (release.isRollback && !o.allowRollback) {
    return {
      ...common,
      current: live,
      status: 'failed',
      detail: `this run would put ${short(version)} back live over ${short(live)} (a rollback), and allow-rollback is false`,
      hint: 'Nothing changed. To roll back on purpose, set allow-rollback: true or dispatch with rollback-to.',
    };
  }
  const restore = o.request.kind === 'rollback-to';
  if (o.dryRun) {
    return {
      ...common,
      current: live,
      status: 'skipped',
      detail: `dry run: would put ${short(version)} live${release.isRollback ? ' (a rollback)' : ''}`,
      plan: await o.target.plan(version, live, restore),
    };
  }
  await o.onRelease?.(release);
  const outcome = restore ? await o.target.restore(version, live) : await o.target.deploy(version, live);
  const result = {
    ...common,
    outcome,
    previous: outcome.previous ?? live,
    current: outcome.current,
    url: outcome.url,
  };
  if (outcome.ok) return { ...result, status: 'passed', detail: outcome.detail };
  const hint = outcome.cancelled
    ? 'The run was cancelled; the previous version keeps serving. Re-run when ready.'
    : live
      ? `The previous version (${short(live)}) keeps serving. Read the last lines below, fix, and push again.`
      : 'Nothing was serving before, and the new version did not go live. Read the last lines below.';
  return { ...result, status: 'failed', detail: outcome.detail, hint };
}
