/**
 * Why the new pods are not ready, in the words `kubectl describe` uses: a waiting reason
 * (CrashLoopBackOff, ImagePullBackOff…), Unschedulable, or "not ready", with the last events.
 */
import type { KubeEvent, Pod } from './types';

export interface PodProblem {
  pod: string;
  reason: string;
  detail: string;
  events: string[];
}

const MAX_EVENTS = 5;

export function podProblems(pods: Pod[], events: KubeEvent[]): PodProblem[] {
  const out: PodProblem[] = [];
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const found = problemOf(p);
    if (!found) continue;
    const last = events
      .filter((e) => e.involvedObject?.name === name && e.involvedObject?.kind === 'Pod')
      .sort((a, b) => timeOf(a) - timeOf(b))
      .slice(-MAX_EVENTS)
      .map((e) => `${e.type ?? 'Normal'} ${e.reason ?? ''}: ${e.message ?? ''}`.trim());
    out.push({ pod: name, ...found, events: last });
  }
  return out;
}

function problemOf(p: Pod): { reason: string; detail: string } | undefined {
  const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (sched?.status === 'False')
    return { reason: sched.reason ?? 'Unschedulable', detail: sched.message ?? 'not scheduled' };
  for (const c of p.status?.containerStatuses ?? []) {
    const w = c.state?.waiting;
    if (w?.reason && w.reason !== 'ContainerCreating' && w.reason !== 'PodInitializing') {
      const last = c.lastState?.terminated;
      const exit = last ? ` (last exit code ${last.exitCode}${last.reason ? `, ${last.reason}` : ''})` : '';
      return {
        reason: w.reason,
        detail: `container ${c.name}: ${w.message ?? w.reason}${exit}; restarted ${c.restartCount} time(s)`,
      };
    }
    const t = c.state?.terminated;
    if (t && t.exitCode !== 0)
      return { reason: t.reason ?? 'Error', detail: `container ${c.name} exited with code ${t.exitCode}` };
  }
  if (p.status?.phase === 'Failed')
    return { reason: p.status.reason ?? 'Failed', detail: p.status.message ?? 'the pod failed' };
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status !== 'True') {
    const waiting = (p.status?.containerStatuses ?? []).filter((c) => !c.ready).map((c) => c.name);
    return {
      reason: 'NotReady',
      detail: waiting.length
        ? `running but not ready (readiness probe): ${waiting.join(', ')}`
        : (ready?.message ?? `phase ${p.status?.phase ?? 'unknown'}`),
    };
  }
  return undefined;
}

function timeOf(e: KubeEvent): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

export function describeProblems(problems: PodProblem[]): string {
  const reasons = [...new Set(problems.map((p) => p.reason))];
  return reasons.length ? `pods: ${reasons.join(', ')}` : '';
}
