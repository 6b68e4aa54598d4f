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
  const fresh = (v: Version): Promise<DockerDeployResult> =>
    deployDocker({ ...c, image: v.image, sha: v.sha, port: c.port, env: c.env, volumes: c.volumes });
  return {
    kind: 'docker',
    where: c.where,
    state: () => readDockerState(c),
    // A re-run of a commit whose container the host retained restarts that container (no pull, no
    // new copy pushing older versions out of `retain`); the live one is never "restarted".
    deploy: async (v, live) =>
      outcome(
        v.container && v.container !== live?.container
          ? await rollbackDocker({ ...c, to: v.container })
          : await fresh(v),
      ),
    // A retained container restarts in a second, with no pull; without one, run the image again.
    // Not cancellable: a half-done rollback is worse than a finished one.
    restore: async (v) =>
      outcome(
        v.container ? await rollbackDocker({ ...c, signal: undefined, to: v.container }) : await fresh(v),
      ),
    plan: (v, live, restore) => {
      const proxy =
        c.proxy === 'none'
          ? 'stop the old container, then start the new one (proxy: none: a short gap)'
          : `point ${c.proxyName ?? 'safe-deploy-proxy'} at it, wait ${c.drainMs ?? 30_000} ms, stop ${live?.container ?? 'nothing (nothing is live)'}`;
      const start =
        restore && v.container
          ? `restart the retained container ${v.container}`
          : `start ${c.app}-${v.sha.slice(0, 7)}-<n> from ${v.image} on ${c.where}`;
      return [
        start,
        `probe ${c.healthPath ?? '/health'} until ${c.healthStatus ?? '200-399'} (within ${c.healthTimeoutMs ?? 60_000} ms)`,
        proxy,
      ];
    },
  };
}
