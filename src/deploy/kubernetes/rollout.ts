/**
 * When a rollout is done, as `kubectl rollout status` decides it (its DeploymentStatusViewer),
 * plus the two things kubectl leaves to the caller: a timeout, and noticing that someone else
 * changed the Deployment while we waited (then what becomes live is no longer ours to judge).
 */
import type { Deployment } from './types';

export interface Progress {
  desired: number;
  updated: number;
  available: number;
  total: number;
}

export type RolloutState =
  | { state: 'waiting'; message: string; progress: Progress }
  | { state: 'done'; message: string; progress: Progress }
  | { state: 'failed'; reason: 'deadline' | 'timeout' | 'changed'; message: string; progress: Progress };

export function progressOf(d: Deployment): Progress {
  const s = d.status ?? {};
  return {
    desired: d.spec?.replicas ?? 1,
    updated: s.updatedReplicas ?? 0,
    available: s.availableReplicas ?? 0,
    total: s.replicas ?? 0,
  };
}

export function progressLine(p: Progress): string {
  return `${p.updated}/${p.desired} updated, ${p.available} available, ${p.total} total`;
}

/** kubectl's verdict on one observation of the Deployment. */
export function rolloutStatus(d: Deployment): RolloutState {
  const progress = progressOf(d);
  const name = d.metadata?.name ?? '';
  const generation = d.metadata?.generation ?? 0;
  const observed = d.status?.observedGeneration ?? 0;
  if (generation > observed)
    return { state: 'waiting', message: 'waiting for the controller to observe the change', progress };
  const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      state: 'failed',
      reason: 'deadline',
      message: `deployment "${name}" exceeded its progress deadline (${d.spec?.progressDeadlineSeconds ?? 600}s, ProgressDeadlineExceeded)`,
      progress,
    };
  }
  const { desired, updated, available, total } = progress;
  if (updated < desired)
    return { state: 'waiting', message: `${updated} of ${desired} new replicas updated`, progress };
  if (total > updated)
    return { state: 'waiting', message: `${total - updated} old replicas pending termination`, progress };
  if (available < updated)
    return { state: 'waiting', message: `${available} of ${updated} updated replicas available`, progress };
  return { state: 'done', message: `deployment "${name}" successfully rolled out`, progress };
}

export interface WaitContext {
  /** metadata.generation our own patch produced. */
  generation: number;
  startedAt: number;
  now: number;
  timeoutMs: number;
}

/** kubectl's verdict, then ours: someone else's change, or rollout-timeout. */
export function rolloutDecision(d: Deployment, w: WaitContext): RolloutState {
  const s = rolloutStatus(d);
  const gen = d.metadata?.generation ?? 0;
  if (gen > w.generation) {
    return {
      state: 'failed',
      reason: 'changed',
      message: `someone else changed deployment "${d.metadata?.name}" while the rollout ran (generation ${w.generation} → ${gen}); what is live now is theirs`,
      progress: s.progress,
    };
  }
  if (s.state !== 'waiting') return s;
  if (w.now - w.startedAt >= w.timeoutMs) {
    return {
      state: 'failed',
      reason: 'timeout',
      message: `rollout-timeout (${Math.round(w.timeoutMs / 1000)}s) passed: ${s.message} (${progressLine(s.progress)})`,
      progress: s.progress,
    };
  }
  return s;
}
