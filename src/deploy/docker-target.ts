import {
  deployDocker,
  readDockerState,
  rollbackDocker,
  type DockerDeployResult,
  type DockerTargetOptions,
} from './docker';
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
export function dockerTarget(c: DockerTargetConfig): DeployTarget {
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
  const put = async (
    v: Version,
    live: Version | undefined,
    signal: AbortSignal | undefined,
  ): Promise<TargetOutcome> => {
    const container = retained(v, live);
    return outcome(
      container
        ? await rollbackDocker({ ...c, signal, to: container })
        : await deployDocker({
            ...c,
            signal,
            image: v.image,
            sha: v.sha,
            port: c.port,
            env: c.env,
            volumes: c.volumes,
          }),
    );
  };
  return {
    kind: 'docker',
    where: c.where,
    state: () => readDockerState(c),
    deploy: (v, live) => put(v, live, c.signal),
    // Not cancellable: a half-done rollback is worse than a finished one.
    restore: (v, failed) => put(v, failed, undefined),
    plan: (v, live) => {
      const proxy =
        c.proxy === 'none'
          ? 'stop the old container, then start the new one (proxy: none: a short gap)'
          : `point ${c.proxyName ?? 'safe-deploy-proxy'} at it, wait ${c.drainMs ?? 30_000} ms, stop ${live?.container ?? 'nothing (nothing is live)'}`;
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
