import type Docker from 'dockerode';
import { sleep, statusOf } from './exec';

/**
 * One deploy at a time per app and environment on a host. The lock is a container created by
 * name: the daemon makes creation atomic (a second create gets 409 Conflict), it lives on the
 * host that is being changed (so runners on different machines agree), and it is never started.
 *
 * Stale locks (the holding run was killed outright, so its `finally` never ran): a lock older
 * than `staleMs` (default 1h, far beyond health timeout + drain) is broken automatically. A
 * younger one is waited for up to `waitMs`; then the run fails naming the holder, since when,
 * and the `docker rm` that frees it. Breaking removes the stale container by id, not by name, so
 * two waiters breaking at once cannot remove the lock the faster one just took.
 */
export interface LockConfig {
  name: string;
  /** Any image on the host: the container is never started. */
  image: string;
  runId?: string;
  runUrl?: string;
  waitMs: number;
  staleMs: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export type Release = () => Promise<void>;

const POLL_MS = 500;
const PROGRESS_EVERY_MS = 15_000;

export function lockName(app: string, environment: string): string {
  return `safe-deploy-lock-${app}-${environment}`;
}

export async function acquireLock(docker: Docker, cfg: LockConfig): Promise<Release> {
  const started = Date.now();
  let lastProgress = 0;
  for (;;) {
    if (cfg.signal?.aborted) throw new Error('cancelled while waiting for the deploy lock');
    const since = new Date().toISOString();
    try {
      const c = await docker.createContainer({
        name: cfg.name,
        Image: cfg.image,
        Entrypoint: ['safe-deploy-lock'],
        Labels: {
          'safe-deploy.role': 'lock',
          'safe-deploy.lock.holder': cfg.runId ?? `local-${process.pid}`,
          'safe-deploy.lock.url': cfg.runUrl ?? '',
          'safe-deploy.lock.since': since,
        },
        HostConfig: { NetworkMode: 'none' },
      });
      if (Date.now() - started > POLL_MS) cfg.log(`took the deploy lock ${cfg.name}`);
      return async () => {
        await c.remove({ force: true }).catch((err: unknown) => {
          if (statusOf(err) !== 404) throw err;
        });
      };
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const holder = await describeHolder(docker, cfg.name);
    if (!holder) continue; // released between our create and inspect: try again at once
    const age = Date.now() - holder.since.getTime();
    const who = `run ${holder.runId}${holder.url ? ` (${holder.url})` : ''} since ${holder.since.toISOString()}`;
    if (age > cfg.staleMs) {
      cfg.log(`breaking the stale deploy lock held by ${who}: older than ${Math.round(cfg.staleMs / 1000)}s`);
      await docker
        .getContainer(holder.id)
        .remove({ force: true })
        .catch(() => undefined);
      continue;
    }
    const waited = Date.now() - started;
    if (waited >= cfg.waitMs) {
      throw new Error(
        `the deploy lock ${cfg.name} is held by ${who}; gave up after ${Math.round(waited / 1000)}s ` +
          `(deploy-lock-wait). If that run is gone, free the lock with: docker rm ${cfg.name}`,
      );
    }
    if (lastProgress === 0 || Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
      cfg.log(`waiting for the deploy lock held by ${who}`);
      lastProgress = Date.now();
    }
    await sleep(Math.min(POLL_MS, cfg.waitMs - waited), cfg.signal);
  }
}

interface Holder {
  id: string;
  runId: string;
  url: string;
  since: Date;
}

async function describeHolder(docker: Docker, name: string): Promise<Holder | undefined> {
  try {
    const info = await docker.getContainer(name).inspect();
    const labels = info.Config.Labels ?? {};
    const since = new Date(labels['safe-deploy.lock.since'] ?? info.Created);
    return {
      id: info.Id,
      runId: labels['safe-deploy.lock.holder'] ?? 'unknown',
      url: labels['safe-deploy.lock.url'] ?? '',
      since: Number.isNaN(since.getTime()) ? new Date(info.Created) : since,
    };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}
