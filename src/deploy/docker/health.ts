import type Docker from 'dockerode';
import type { StatusMatcher } from '../../util/status-ranges';
import type { HealthReport } from './types';
import { execIn, messageOf, sleep } from './exec';

/**
 * Health probes run inside the proxy container (or a probe container when there is no proxy):
 * it shares the app's network, so the probe sees exactly what the proxy will see, and the runner
 * needs no route to the host. busybox wget exits non-zero on 4xx/5xx, so the status comes from
 * the `HTTP/1.1 NNN` line `-S` prints on stderr. `-T` is not used: Debian's static busybox 1.35
 * segfaults on it; the `timeout` applet bounds a hung connection instead.
 */
export interface HealthConfig {
  /** The container the probe runs in. */
  prober: string;
  /** The container being checked: the wait stops early when it exits. */
  container: string;
  url: string;
  accept: StatusMatcher;
  timeoutMs: number;
  intervalMs: number;
  signal?: AbortSignal;
  log: (line: string) => void;
}

const PROBE_TIMEOUT_S = 3;
const FIRST_BACKOFF_MS = 25;

export async function waitHealthy(docker: Docker, cfg: HealthConfig): Promise<HealthReport> {
  const started = Date.now();
  const report: HealthReport = { healthy: false, url: cfg.url, probes: 0, elapsedMs: 0 };
  let withTimeout = true;
  let lastLog = started;
  for (;;) {
    if (cfg.signal?.aborted) return done(report, started, { cancelled: true });
    const exitCode = await exitedWith(docker, cfg.container);
    if (exitCode !== undefined) return done(report, started, { exitCode });
    const wget = ['wget', '-q', '-S', '-O', '/dev/null', cfg.url];
    const cmd = withTimeout ? ['timeout', String(PROBE_TIMEOUT_S), ...wget] : wget;
    report.probes++;
    try {
      const r = await execIn(docker, cfg.prober, cmd, (PROBE_TIMEOUT_S + 5) * 1000);
      const out = `${r.stderr}\n${r.stdout}`;
      if (r.exitCode >= 126 && /not found|no such file/i.test(out)) {
        if (!withTimeout) throw new Error(`the proxy image has no wget (busybox): cannot probe ${cfg.url}`);
        withTimeout = false; // an image without the timeout applet: plain wget still works
        report.probes--;
        continue;
      }
      const status = /HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(out)?.[1];
      if (status !== undefined) {
        report.lastStatus = Number(status);
        report.lastError = undefined;
        if (cfg.accept(report.lastStatus)) return done(report, started, { healthy: true });
      } else {
        report.lastError = out.trim().split('\n').pop() || `wget exited ${r.exitCode}`;
      }
    } catch (err) {
      // An exec that fails is a fact about the prober (the proxy), not about the app: a proxy that
      // died must stop the wait at once, not be probed through until the timeout.
      const down = await proberDown(docker, cfg.prober);
      if (down) return done(report, started, { proberDown: `${down} (${messageOf(err)})` });
      report.lastError = messageOf(err);
    }
    const elapsed = Date.now() - started;
    if (elapsed >= cfg.timeoutMs) {
      // One last look: a container that died late should be reported with its exit code.
      return done(report, started, { exitCode: await exitedWith(docker, cfg.container) });
    }
    if (Date.now() - lastLog >= 10_000) {
      cfg.log(`still waiting for ${cfg.url}: ${describe(report)} after ${report.probes} probes`);
      lastLog = Date.now();
    }
    // Early probes come fast and back off (25, 50, 100 ms…) up to health-interval: an app that
    // answers in 100 ms is known healthy in about that, and a slow one is not probed in a busy loop.
    const backoff = Math.min(cfg.intervalMs, FIRST_BACKOFF_MS * 2 ** Math.max(0, report.probes - 1));
    await sleep(Math.min(backoff, cfg.timeoutMs - elapsed), cfg.signal);
  }
}

export function describe(report: HealthReport): string {
  if (report.lastStatus !== undefined) return `HTTP ${report.lastStatus}`;
  return report.lastError ?? 'no answer';
}

function done(report: HealthReport, started: number, extra: Partial<HealthReport>): HealthReport {
  const out = { ...report, ...extra, elapsedMs: Date.now() - started };
  if (out.exitCode === undefined) delete out.exitCode;
  return out;
}

async function proberDown(docker: Docker, prober: string): Promise<string | undefined> {
  try {
    const info = await docker.getContainer(prober).inspect();
    return info.State.Running ? undefined : `${prober} stopped with exit code ${info.State.ExitCode}`;
  } catch (err) {
    return `${prober} is gone: ${messageOf(err)}`;
  }
}

/** The exit code when the container is no longer running (new containers run without restarts). */
async function exitedWith(docker: Docker, container: string): Promise<number | undefined> {
  const info = await docker.getContainer(container).inspect();
  return info.State.Running ? undefined : info.State.ExitCode;
}
