/**
 * One deploy at a time per app and environment: a coordination.k8s.io/v1 Lease. The holder renews
 * it while the run lives; one not renewed within its duration belongs to a run that died (a
 * killed runner), and is taken over rather than blocking every later deploy.
 */
import type { Lease } from './types';

export const LEASE_SECONDS = 30;
export const RENEW_EVERY_MS = 10_000;

export type LeaseDecision =
  | { action: 'create' }
  | { action: 'renew' }
  | { action: 'take'; from: string; expiredForMs: number }
  | { action: 'wait'; holder: string; expiresInMs: number };

export function leaseName(app: string, environment: string): string {
  const raw = `safe-deploy-${app}-${environment}`.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return raw.slice(0, 253).replace(/[^a-z0-9]+$/, '');
}

/** What to do about the lease as read (undefined: none exists). */
export function leaseDecision(lease: Lease | undefined, me: string, now: number): LeaseDecision {
  if (!lease) return { action: 'create' };
  const s = lease.spec ?? {};
  const holder = s.holderIdentity ?? '';
  if (holder === me) return { action: 'renew' };
  const renewed = s.renewTime ?? s.acquireTime;
  const durationMs = (s.leaseDurationSeconds ?? LEASE_SECONDS) * 1000;
  const expiresAt = renewed ? new Date(renewed).getTime() + durationMs : 0;
  if (!holder || expiresAt <= now) return { action: 'take', from: holder, expiredForMs: now - expiresAt };
  return { action: 'wait', holder, expiresInMs: expiresAt - now };
}

/**
 * A Lease's times are MicroTime: RFC 3339 with exactly six fractional digits (the API server
 * refuses JSON's three).
 */
export function microTime(d: Date): string {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** The spec we write when creating, renewing or taking the lease. */
export function leaseSpec(
  lease: Lease | undefined,
  me: string,
  now: Date,
  decision: LeaseDecision,
): NonNullable<Lease['spec']> {
  const prev = lease?.spec ?? {};
  const taking = decision.action !== 'renew';
  return {
    holderIdentity: me,
    leaseDurationSeconds: LEASE_SECONDS,
    acquireTime: taking ? microTime(now) : (prev.acquireTime ?? microTime(now)),
    renewTime: microTime(now),
    leaseTransitions: (prev.leaseTransitions ?? 0) + (decision.action === 'take' ? 1 : 0),
  };
}
