/**
 * The deploy stage's side of the targets: turns the action's inputs into one target's own config.
 * The targets in src/deploy/ know nothing of inputs; this is the only place that reads both.
 */
import os from 'node:os';
import type { RunContext } from '../context';
import type { Inputs } from '../inputs';
import type { Log } from '../log';
import { commandTarget } from '../deploy/command-target';
import { hostLabel } from '../deploy/docker';
import { dockerTarget } from '../deploy/docker-target';
import { kubernetesTarget } from '../deploy/kubernetes';
import type { Version } from '../deploy/release';
import type { DeployTarget } from '../deploy/target';

export type KubernetesTarget = ReturnType<typeof kubernetesTarget>;

/** deploy-to: kubernetes, from the inputs: one per run (the migration Job and the deploy share it). */
export function createKubernetesTarget(
  inputs: Inputs,
  ctx: RunContext,
  signal: AbortSignal,
  log: Log,
): KubernetesTarget {
  const d = inputs.deploy;
  return kubernetesTarget({
    kubeconfig: d.kube.kubeconfig,
    context: d.kube.context,
    namespace: d.kube.namespace,
    container: d.kube.container,
    app: d.app ?? repositoryName(ctx),
    environment: inputs.environment,
    rolloutTimeoutMs: d.kube.rolloutTimeoutMs,
    lockWaitMs: d.lockWaitMs,
    // Unique per process: two runs of one workflow run (a re-run racing the original) differ too.
    holder: `run ${ctx.runId ?? 'local'} attempt ${ctx.runAttempt} (${os.hostname()} pid ${process.pid})`,
    runUrl: ctx.runUrl,
    migrationJob: inputs.migrate.migrateInImage && !!inputs.migrate.migrateCommand,
    dryRun: inputs.dryRun,
    signal,
    log: log.info,
  });
}

/** The deploy target the inputs name, configured once for deploy, verify and rollback. */
export function createTarget(
  inputs: Inputs,
  ctx: RunContext,
  /** GitHub's deployment history: what the command target (which has no host to ask) knows as live. */
  history: Promise<{ live?: Version }>,
  signal: AbortSignal,
  log: Log,
  kubernetes?: KubernetesTarget,
): DeployTarget {
  const d = inputs.deploy;
  const v = inputs.verify;
  if (d.deployTo === 'kubernetes') return kubernetes ?? createKubernetesTarget(inputs, ctx, signal, log);
  if (d.deployTo === 'command') {
    return commandTarget({
      deployCommand: d.deployCommand!,
      rollbackCommand: d.rollbackCommand,
      environment: inputs.environment,
      cwd: inputs.workingDirectory,
      live: async () => (await history).live,
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
