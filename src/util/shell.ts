import { exec } from '@actions/exec';

export interface ShellResult {
  exitCode: number;
  /** The last lines of output (stdout and stderr interleaved), for the summary. */
  tail: string[];
}

/**
 * Runs a user command the way a workflow `run:` step does (bash, errexit + pipefail), streaming its
 * output to the log. Values reach the command only through `env`, never spliced into its text.
 */
export async function runShell(
  command: string,
  opts: { cwd: string; env?: Record<string, string>; tailLines?: number },
): Promise<ShellResult> {
  const tail: string[] = [];
  const keep = opts.tailLines ?? 30;
  const remember = (line: string): void => {
    tail.push(line);
    if (tail.length > keep) tail.shift();
  };
  const exitCode = await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', command], {
    cwd: opts.cwd,
    env: { ...(process.env as Record<string, string>), ...opts.env },
    ignoreReturnCode: true,
    listeners: { stdline: remember, errline: remember },
  });
  return { exitCode, tail };
}
