import type { DockerDeployResult } from './types';
import type Docker from 'dockerode';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Splits Docker's multiplexed stream (no TTY): frames of an 8-byte header (stream type, 3 zero
 * bytes, big-endian size) and the payload. Used for exec output and for `logs`.
 */
export function demux(raw: Buffer): { stdout: string; stderr: string; both: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const both: Buffer[] = [];
  let i = 0;
  while (i + 8 <= raw.length) {
    const type = raw[i];
    const size = raw.readUInt32BE(i + 4);
    const payload = raw.subarray(i + 8, i + 8 + size);
    (type === 2 ? err : out).push(payload);
    both.push(payload);
    i += 8 + size;
  }
  const text = (parts: Buffer[]): string => Buffer.concat(parts).toString('utf8');
  return { stdout: text(out), stderr: text(err), both: text(both) };
}

/** Runs a command inside a running container and returns its output and exit code. */
export async function execIn(
  docker: Docker,
  container: string,
  cmd: string[],
  timeoutMs = 30_000,
  env?: string[],
): Promise<ExecResult> {
  const exec = await docker
    .getContainer(container)
    .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, ...(env && { Env: env }) });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error(`\`${cmd.join(' ')}\` in ${container} did not finish in ${timeoutMs}ms`));
    }, timeoutMs);
    stream.on('data', (c: Buffer) => chunks.push(c));
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
  // The stream can end a moment before the daemon records the exit code.
  for (let i = 0; ; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) {
      const { stdout, stderr } = demux(Buffer.concat(chunks));
      return { exitCode: info.ExitCode, stdout, stderr };
    }
    if (i > 50) throw new Error(`\`${cmd.join(' ')}\` in ${container}: no exit code`);
    await sleep(20);
  }
}

/** The last `tail` lines a container wrote, stdout and stderr interleaved as frames arrived. */
export async function lastLogLines(docker: Docker, container: string, tail = 50): Promise<string[]> {
  try {
    const raw = await docker
      .getContainer(container)
      .logs({ stdout: true, stderr: true, tail, follow: false });
    return demux(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)))
      .both.split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-tail);
  } catch {
    return [];
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The HTTP status Docker answered with, when the error came from the API. */
export function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function messageOf(err: unknown): string {
  const e = err as { json?: { message?: unknown }; message?: unknown } | null;
  if (typeof e?.json?.message === 'string') return e.json.message;
  return typeof e?.message === 'string' ? e.message : String(err);
}

/** A deploy or rollback that stopped on an error: nothing switched, nothing pruned. */
export function failedResult(err: unknown, signal?: AbortSignal): DockerDeployResult {
  const cancelled = signal?.aborted === true;
  return {
    status: 'failed',
    detail: messageOf(err),
    gap: false,
    removed: [],
    ...(cancelled && { cancelled }),
  };
}
