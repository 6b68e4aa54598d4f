import type Docker from 'dockerode';
import { sleep, statusOf } from './exec';

/**
 * One deploy at a time per app and environment on a host. The lock is a container created by
 * name: the daemon makes creation atomic (a second create gets 409 Conflict), and it lives on the
 * host that is being changed (so runners on different machines agree).
 *
 * The lock dies with its holder: the container runs a loop that reads the run's attached stdin,
 * and exits (and is auto-removed) when that connection closes (the run ended, was SIGKILLed, its
 * SSH connection dropped) or when the run's heartbeat stops for `LEASE_S` seconds (a runner that
 * vanished without closing anything). A waiter that finds the holder exited breaks it at once.
 * Locks of older versions (never started, no lease) are broken after `staleMs`. A live holder is
 * waited for up to `waitMs`; then the run fails naming the holder, since when, and the `docker rm`
 * that frees it. Breaking removes the container by id, not by name, so two waiters breaking at
 * once cannot remove the lock the faster one just took.
 */
export interface LockConfig {
  name: string;
  /** An image on the host with `sh` (the proxy image): it runs the lease loop. */
  image: string;
  runId?: string;
  runUrl?: string;
  waitMs: number;
  staleMs: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

export type Release = () => Promise<void>;

const POLL_MS = 250;
/** The holder writes a line this often; the lock exits after LEASE_S seconds without one. */
const HEARTBEAT_MS = 5_000;
const LEASE_S = 20;
/** A lease lock still in `created` after this long belongs to a run that died before starting it. */
const NEVER_STARTED_MS = 30_000;
const KIND = 'safe-deploy.lock.kind';
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
      const release = await takeLease(docker, cfg, since);
      if (Date.now() - started > POLL_MS) cfg.log(`took the deploy lock ${cfg.name}`);
      return release;
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
    const holder = await describeHolder(docker, cfg.name);
    if (!holder) continue; // released between our create and inspect: try again at once
    const age = Date.now() - holder.since.getTime();
    const who = `run ${holder.runId}${holder.url ? ` (${holder.url})` : ''} since ${holder.since.toISOString()}`;
    const dead = holder.lease
      ? holder.status === 'exited' ||
        holder.status === 'dead' ||
        (holder.status === 'created' && age > NEVER_STARTED_MS)
      : age > cfg.staleMs;
    if (dead) {
      cfg.log(
        holder.lease
          ? `breaking the deploy lock of ${who}: that run is gone (its lock ${holder.status})`
          : `breaking the stale deploy lock held by ${who}: older than ${Math.round(cfg.staleMs / 1000)}s`,
      );
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

/**
 * Creates the lock (409 when another run holds it), attaches to its stdin and starts it. The
 * release closes stdin (the loop ends, the container removes itself) and removes it to be sure.
 */
async function takeLease(docker: Docker, cfg: LockConfig, since: string): Promise<Release> {
  // The create is the lock (atomic by name). Tying its life to ours (attach, start) runs off the
  // deploy's critical path: a run that dies before the start leaves a `created` lock, which a
  // waiter breaks after NEVER_STARTED_MS.
  const c = await docker.createContainer(lockCreateBody(cfg, since));
  let beat: NodeJS.Timeout | undefined;
  const tied = (async (): Promise<NodeJS.ReadWriteStream> => {
    const stream = (await c.attach({ stream: true, stdin: true, hijack: true })) as NodeJS.ReadWriteStream;
    stream.on('error', () => undefined); // a dropped connection ends the lease; the release says the rest
    await c.start();
    beat = setInterval(() => stream.write('\n'), HEARTBEAT_MS);
    beat.unref();
    return stream;
  })();
  tied.catch((err: unknown) =>
    cfg.log(
      `note: the deploy lock ${cfg.name} could not be tied to this run (${String((err as Error).message ?? err)}); it is still held`,
    ),
  );
  return async () => {
    const stream = await tied.catch(() => undefined);
    clearInterval(beat);
    stream?.end();
    await c.remove({ force: true }).catch((err: unknown) => {
      // 404: gone already; 409: the daemon is auto-removing it right now.
      if (statusOf(err) !== 404 && statusOf(err) !== 409) throw err;
    });
  };
}

/** The lock container's create body (pure, table-tested). */
export function lockCreateBody(
  cfg: Pick<LockConfig, 'name' | 'image' | 'runId' | 'runUrl'>,
  since: string,
): Docker.ContainerCreateOptions {
  return {
    name: cfg.name,
    Image: cfg.image,
    Entrypoint: ['sh', '-c', `while read -t ${LEASE_S} line; do :; done`],
    Cmd: [],
    OpenStdin: true,
    StdinOnce: true,
    AttachStdin: true,
    Labels: {
      'safe-deploy.role': 'lock',
      [KIND]: 'lease',
      'safe-deploy.lock.holder': cfg.runId ?? `local-${process.pid}`,
      'safe-deploy.lock.url': cfg.runUrl ?? '',
      'safe-deploy.lock.since': since,
    },
    HostConfig: { NetworkMode: 'none', AutoRemove: true },
  };
}

interface Holder {
  id: string;
  /** A lock that dies with its run (this version's); older ones never ran. */
  lease: boolean;
  status: string;
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
      lease: labels[KIND] === 'lease',
      status: info.State.Status,
      runId: labels['safe-deploy.lock.holder'] ?? 'unknown',
      url: labels['safe-deploy.lock.url'] ?? '',
      since: Number.isNaN(since.getTime()) ? new Date(info.Created) : since,
    };
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}
