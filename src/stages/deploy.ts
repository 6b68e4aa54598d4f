import type { RunContext } from '../context';
import type { DeployInputs, VerifyInputs } from '../inputs';
import type { Log } from '../log';
import type { StageResult } from '../types';
import {
  deployDocker,
  type DockerDeployResult,
  type DockerTargetOptions,
  type DockerVersion,
} from '../deploy/docker';
import { hostLabel } from '../deploy/docker/client';

export interface DeployResult extends StageResult {
  host: string;
  previous?: DockerVersion;
  current?: DockerVersion;
  engine?: DockerDeployResult;
  url?: string;
}

export interface DeployOptions {
  ctx: RunContext;
  environment: string;
  /** What to run: `<image>@<digest>` when pushed, else the local tag. */
  image: string;
  signal?: AbortSignal;
  log: Log;
}

/** The options that name the target, shared by deploy and verify's rollback. */
export function targetOptions(
  d: DeployInputs,
  v: VerifyInputs,
  o: Omit<DeployOptions, 'image'>,
): DockerTargetOptions {
  return {
    app: d.app ?? repositoryName(o.ctx),
    environment: o.environment,
    host: d.dockerHost,
    sshKey: d.sshKey,
    network: d.network,
    proxy: d.proxy,
    proxyImage: d.proxyImage,
    publicPort: d.publicPort,
    domain: d.domain,
    healthPath: v.healthPath,
    healthTimeoutMs: v.healthTimeoutMs,
    healthIntervalMs: v.healthIntervalMs,
    healthStatus: v.healthStatus,
    drainMs: d.drainMs,
    retain: d.retain,
    lockWaitMs: d.lockWaitMs,
    runId: o.ctx.runId,
    runUrl: o.ctx.runUrl,
    signal: o.signal,
    log: o.log.info,
  };
}

export async function runDeploy(d: DeployInputs, v: VerifyInputs, o: DeployOptions): Promise<DeployResult> {
  const host = hostLabel(d.dockerHost);
  const target = targetOptions(d, v, o);
  o.log.info(`Deploying ${o.image} as ${target.app} (${o.environment}) on ${host}…`);
  const r = await deployDocker({
    ...target,
    image: o.image,
    sha: o.ctx.sha,
    port: d.port,
    env: d.env,
    volumes: d.volumes,
  });
  const base = { host, previous: r.previous, current: r.current, engine: r, url: r.url };
  if (r.status === 'deployed') return { ...base, status: 'passed', detail: r.detail };
  const hint = r.cancelled
    ? 'The run was cancelled; the previous version keeps serving. Re-run when ready.'
    : r.previous
      ? `The previous version (${r.previous.sha.slice(0, 7)}) keeps serving. Read the new container's last log lines below, fix, and push again.`
      : 'Nothing was serving before, and the new version did not become healthy. Read its last log lines below.';
  return { ...base, status: 'failed', detail: r.detail, hint };
}

/** The default `app`: the repository's name, as Docker allows it. */
export function repositoryName(ctx: RunContext): string {
  const name = ctx.repository.split('/').pop() || 'app';
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'app'
  );
}
