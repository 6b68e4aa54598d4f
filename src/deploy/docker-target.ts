import type Docker from 'dockerode';
import {
  deployDocker,
  dockerFromHost,
  holdDockerLock,
  preflightDocker,
  readDockerState,
  rollbackDocker,
  type DockerDeployResult,
  type DockerTargetOptions,
  type LiveSnapshot,
} from './docker';
import { DEFAULT_PROXY_NAME } from './docker/defaults';
import type { Version } from './release';
import type { DeployTarget, TargetOutcome } from './target';

export interface DockerTargetConfig extends DockerTargetOptions {
  /** Shown in the summary: the docker-host as the user gave it (or the default socket). */
  where: string;
  port: number;
  env: Record<string, string>;
  volumes: string[];
}

/** `deploy-to: docker`: the zero-downtime engine in src/deploy/docker. */
export function dockerTarget(config: DockerTargetConfig): DeployTarget {
  // One engine client (one SSH connection) for every call of the run.
  let client: Docker | undefined;
  const c: DockerTargetConfig = {
    ...config,
    get docker(): Docker {
      return (client ??= config.docker ?? dockerFromHost(config.host, config.sshKey, config.sshKnownHosts));
    },
  };
  const outcome = (r: DockerDeployResult): TargetOutcome => ({
    ok: r.status !== 'failed',
    detail: r.detail,
    cancelled: r.cancelled,
    previous: r.previous,
    current: r.current,
    url: r.url,
    docker: r,
  });
  /**
   * One decision for deploy, restore and plan: a retained container of `v` (not the live one)
   * restarts in a second with no pull and no new copy pushing older versions out of `retain`;
   * otherwise the image runs again in a new container.
   */
  const retained = (v: Version, live?: Version): string | undefined =>
    v.container && v.container !== live?.container ? v.container : undefined;
  /**
   * The live state read by `state()`, handed to the deploy that follows: as is while `lock()` is
   * held (nothing can have changed it), else re-validated under the deploy's own lock.
   */
  let snapshot: LiveSnapshot | undefined;
  let held = false;
  const put = async (
    v: Version,
    live: Version | undefined,
    signal: AbortSignal | undefined,
    known?: LiveSnapshot,
  ): Promise<TargetOutcome> => {
    const container = retained(v, live);
    return outcome(
      container
        ? await rollbackDocker({ ...c, signal, to: container, known, lockHeld: held })
        : await deployDocker({
            ...c,
            signal,
            lockHeld: held,
            image: v.image,
            sha: v.sha,
            known,
            port: c.port,
            env: c.env,
            volumes: c.volumes,
          }),
    );
  };
  /** What serves now, in words, for a failure that must say it. */
  const liveNow = async (): Promise<string> => {
    try {
      const { live } = await readDockerState({ ...c, signal: undefined });
      return live ? `${live.sha.slice(0, 7)} in ${live.container}` : 'nothing';
    } catch (err) {
      return `unknown (${err instanceof Error ? err.message : String(err)})`;
    }
  };
  /**
   * A way back always: the retained container; when it is gone or will not come up, the
   * previous image (by digest) in a new container; only when both fail, a loud failure that
   * names what is live now.
   */
  const restore = async (v: Version, failed: Version | undefined): Promise<TargetOutcome> => {
    const container = retained(v, failed);
    let first: TargetOutcome | undefined;
    if (container) {
      first = outcome(await rollbackDocker({ ...c, signal: undefined, to: container, lockHeld: held }));
      if (first.ok || first.cancelled || !v.image) return first;
      c.log?.(`could not put ${container} back (${first.detail}); running ${v.image} in a new container`);
    }
    const again = outcome(
      await deployDocker({
        ...c,
        signal: undefined,
        lockHeld: held,
        image: v.image,
        sha: v.sha,
        port: c.port,
        env: c.env,
        volumes: c.volumes,
      }),
    );
    if (again.ok) {
      return first
        ? {
            ...again,
            detail: `${again.detail} (the retained container ${container} could not be used: ${first.detail})`,
          }
        : again;
    }
    const tried = [
      first && `restarting ${container}: ${first.detail}`,
      `running ${v.image || 'its image'}: ${again.detail}`,
    ]
      .filter(Boolean)
      .join('; ');
    return {
      ...again,
      detail: `no way back to ${v.sha.slice(0, 7)} worked (${tried}); live now: ${await liveNow()}`,
    };
  };
  return {
    kind: 'docker',
    where: c.where,
    preflight: () => preflightDocker(c),
    lock: async () => {
      const release = await holdDockerLock(c);
      held = true;
      return async () => {
        held = false;
        snapshot = undefined; // read under a lock no longer held
        await release();
      };
    },
    state: async () => {
      const s = await readDockerState(c, held);
      snapshot = s.snapshot;
      return s;
    },
    deploy: async (v, live) => {
      const known = snapshot;
      snapshot = undefined; // after this deploy it no longer describes the host
      return put(v, live, c.signal, known);
    },
    // Not cancellable: a half-done rollback is worse than a finished one.
    restore,
    plan: (v, live) => {
      const proxy =
        c.proxy === 'none'
          ? 'stop the old container, then start the new one (proxy: none: a short gap)'
          : `point ${c.proxyName ?? DEFAULT_PROXY_NAME} at it, stop ${live?.container ?? 'nothing (nothing is live)'} once no request is in flight (at most ${c.drainMs ?? 30_000} ms)`;
      const container = retained(v, live);
      const start = container
        ? `restart the retained container ${container}`
        : `start ${c.app}-${v.sha.slice(0, 7)}-<n> from ${v.image} on ${c.where}`;
      return [
        start,
        `probe ${c.healthPath ?? '/health'} until ${c.healthStatus ?? '200-399'} (within ${c.healthTimeoutMs ?? 60_000} ms)`,
        proxy,
      ];
    },
  };
}
