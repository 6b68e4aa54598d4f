import type { Log } from '../log';
import { runShell } from '../util/shell';
import type { Version } from './release';
import type { DeployTarget, TargetOutcome } from './target';

export interface CommandTargetConfig {
  deployCommand: string;
  rollbackCommand?: string;
  environment: string;
  cwd: string;
  /** What GitHub's deployment history says is live (the command target has no host to ask). */
  live: () => Promise<Version | undefined>;
  /** For IMAGE_TAG: `<image>:<sha>`. */
  repository?: string;
  url?: string;
  log: Log;
}

/**
 * `deploy-to: command`: the user's own command does the deploy (Fly, Render, ECS, kubectl, ssh…).
 * Every value reaches it only as an environment variable, never spliced into the command text, so
 * a hostile branch name or commit message cannot run anything.
 */
export function commandTarget(c: CommandTargetConfig): DeployTarget {
  const run = async (
    name: 'deploy-command' | 'rollback-command',
    command: string,
    v: Version,
    before?: Version,
  ): Promise<TargetOutcome> => {
    const env = {
      IMAGE: v.image,
      IMAGE_TAG: c.repository ? `${c.repository}:${v.sha}` : v.image,
      SHA: v.sha,
      PREVIOUS_IMAGE: before?.image ?? '',
      PREVIOUS_SHA: before?.sha ?? '',
      ENVIRONMENT: c.environment,
    };
    c.log.info(`Running ${name} for ${v.sha.slice(0, 7)} (${v.image})…`);
    const res = await runShell(command, { cwd: c.cwd, env, tailLines: 50 });
    const ok = res.exitCode === 0;
    return {
      ok,
      detail: ok ? `${name} put ${v.sha.slice(0, 7)} live` : `${name} exited with code ${res.exitCode}`,
      previous: before,
      current: ok ? v : before,
      url: c.url,
      command: { name, exitCode: res.exitCode, tail: res.tail },
    };
  };
  return {
    kind: 'command',
    // Nothing to reach ahead: the user's command is the target.
    preflight: async () => undefined,
    where: 'deploy-command',
    state: async () => ({ live: await c.live(), retained: [] }),
    deploy: (v, live) => run('deploy-command', c.deployCommand, v, live),
    restore: (v, failed) =>
      c.rollbackCommand
        ? run('rollback-command', c.rollbackCommand, v, failed)
        : run('deploy-command', c.deployCommand, v, failed),
    plan: (v, live, restore) => {
      const name = restore && c.rollbackCommand ? 'rollback-command' : 'deploy-command';
      return [
        `run ${name} with IMAGE=${v.image} SHA=${v.sha} PREVIOUS_SHA=${live?.sha ?? ''} ENVIRONMENT=${c.environment}`,
      ];
    },
  };
}
