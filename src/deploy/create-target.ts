import type { RunContext } from '../context';
import type { Inputs } from '../inputs';
import type { Log } from '../log';
import { commandTarget } from './command-target';
import { hostLabel } from './docker';
import { dockerTarget } from './docker-target';
import type { Version } from './release';
import type { DeployTarget } from './target';

/** The deploy target the inputs name, configured once for deploy, verify and rollback. */
export function createTarget(
  inputs: Inputs,
  ctx: RunContext,
  history: { live?: Version; known: Version[] },
  signal: AbortSignal,
  log: Log,
): DeployTarget {
  const d = inputs.deploy;
  const v = inputs.verify;
  if (d.deployTo === 'command') {
    return commandTarget({
      deployCommand: d.deployCommand!,
      rollbackCommand: d.rollbackCommand,
      environment: inputs.environment,
      cwd: inputs.workingDirectory,
      live: history.live,
      history: history.known,
      repository: inputs.build.image,
      // The app's address for the url output and GitHub's environment_url: health-url's origin.
      url: v.healthUrl ? new URL(v.healthUrl).origin : undefined,
      log,
    });
  }
  return dockerTarget({
    where: hostLabel(d.dockerHost),
    app: d.app ?? repositoryName(ctx),
    environment: inputs.environment,
    host: d.dockerHost,
    sshKey: d.sshKey,
    sshKnownHosts: d.sshKnownHosts,
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
    runId: ctx.runId,
    runUrl: ctx.runUrl,
    signal,
    log: log.info,
    port: d.port,
    env: d.env,
    volumes: d.volumes,
  });
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
