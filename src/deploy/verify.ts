import { spawn } from 'node:child_process';
import { parseStatusRanges, type StatusMatcher } from '../util/status-ranges';

/**
 * Verify, after the switch, from the runner: the public route answers (`health-url`) and the
 * smoke command passes. Engine-independent; the caller decides on rollback.
 */
export interface UrlCheckOptions {
  url: string;
  timeoutMs?: number; // default 60s
  intervalMs?: number; // default 1s
  /** `health-status`, e.g. `200-399` or `200,204`. */
  status?: string | StatusMatcher;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface UrlCheck {
  ok: boolean;
  url: string;
  probes: number;
  elapsedMs: number;
  lastStatus?: number;
  lastError?: string;
  cancelled?: boolean;
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function probeUrl(opts: UrlCheckOptions): Promise<UrlCheck> {
  const accept =
    typeof opts.status === 'function' ? opts.status : parseStatusRanges(opts.status ?? '200-399');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  const check: UrlCheck = { ok: false, url: opts.url, probes: 0, elapsedMs: 0 };
  for (;;) {
    if (opts.signal?.aborted) return { ...check, cancelled: true, elapsedMs: Date.now() - started };
    check.probes++;
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    try {
      // redirect: manual, so a 301 to a login page counts as what the route answered.
      const res = await fetch(opts.url, {
        redirect: 'manual',
        signal: AbortSignal.timeout(Math.min(5_000, remaining)),
      });
      await res.arrayBuffer().catch(() => undefined);
      check.lastStatus = res.status;
      check.lastError = undefined;
      if (accept(res.status)) return { ...check, ok: true, elapsedMs: Date.now() - started };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      // An attempt cut short by the check's own deadline (not the 5 s a probe may take) says
      // nothing about the app: what the attempt before it saw stays the reason.
      // By name: fetch rejects with a DOMException, which another realm's Error does not claim.
      const cutShort = remaining < 5_000 && (err as { name?: unknown } | null)?.name === 'TimeoutError';
      if (!cutShort || check.probes === 1)
        check.lastError = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
    }
    const elapsed = Date.now() - started;
    if (elapsed >= timeoutMs) {
      const why = check.lastStatus !== undefined ? `HTTP ${check.lastStatus}` : check.lastError;
      opts.log?.(`${opts.url} did not pass in ${Math.round(timeoutMs / 1000)}s: ${why}`);
      return { ...check, elapsedMs: elapsed };
    }
    await wait(Math.min(opts.intervalMs ?? 1_000, timeoutMs - elapsed));
  }
}

export interface SmokeOptions {
  command: string;
  /** Given to the command as `URL`. */
  url: string;
  timeoutMs?: number; // default 5m
  cwd?: string;
  env?: Record<string, string>;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

export interface SmokeResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  /** The last 50 lines of output, for the summary. */
  output: string[];
  elapsedMs: number;
}

/** Runs `smoke-command` with bash -eo pipefail; a non-zero exit (or the timeout) fails the check. */
export function runSmoke(opts: SmokeOptions): Promise<SmokeResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so a timeout or cancel also stops what the command started.
    // As every other user command (src/util/shell.ts) and a workflow `run:` step: errexit and
    // pipefail, so `curl … | grep …` fails when curl does.
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', opts.command], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env, URL: opts.url },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let text = '';
    let timedOut = false;
    const onData = (chunk: Buffer): void => {
      text = (text + chunk.toString('utf8')).slice(-64_000);
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) opts.log?.(line);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const kill = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, opts.timeoutMs ?? 300_000);
    opts.signal?.addEventListener('abort', kill, { once: true });
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', kill);
      const output = text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .slice(-50);
      resolve({
        ok: code === 0 && !timedOut,
        exitCode: code,
        timedOut,
        output,
        elapsedMs: Date.now() - started,
      });
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      resolve({
        ok: false,
        exitCode: null,
        timedOut,
        output: [err.message],
        elapsedMs: Date.now() - started,
      });
    });
  });
}
