// hey, the steady load the benches put on the proxy: one process started, and its text report read
// into counts. Shared by bench/zero-downtime and bench/fault-sweep.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** hey's binary (Debian's package installs /usr/bin/hey), or undefined when it is not installed. */
export const HEY = ['/usr/bin/hey', '/usr/local/bin/hey'].find((p) => fs.existsSync(p));

/**
 * One hey process against `url`: `concurrency` workers at `perWorker` req/s each, a new connection
 * per request, bounded to `seconds` on its own should the bench die. `stop()` sends SIGINT (hey then
 * prints its report) and resolves to the parsed report.
 */
export function spawnHey(url, { seconds, concurrency, perWorker }) {
  if (!HEY) throw new Error('hey is not installed: run bash scripts/services.sh');
  const child = spawn(
    HEY,
    [
      '-z',
      `${seconds}s`,
      '-c',
      String(concurrency),
      '-q',
      String(perWorker),
      '-t',
      '10',
      '-disable-keepalive',
      url,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    /** The report once hey has exited (after stop(), or on its own at -z). */
    async report() {
      const code = await done; // first: `out` is complete only once hey has exited
      return parseHey(out, code);
    },
    stop() {
      child.kill('SIGINT');
      return this.report();
    },
  };
}

/** sent, failed (non-2xx and errors), statuses, errors and the run's seconds, from hey's output. */
export function parseHey(text, code) {
  const statuses = {};
  const errors = {};
  let section = '';
  let totalSecs = NaN;
  for (const line of text.split('\n')) {
    if (/^Status code distribution:/.test(line)) section = 'status';
    else if (/^Error distribution:/.test(line)) section = 'error';
    else if (/^\S/.test(line)) section = '';
    const total = /^\s*Total:\s+([\d.]+) secs/.exec(line);
    if (total && Number.isNaN(totalSecs)) totalSecs = Number(total[1]);
    const s = /^\s*\[(\d+)\]\s+(\d+) responses/.exec(line);
    if (section === 'status' && s) statuses[s[1]] = Number(s[2]);
    const e = /^\s*\[(\d+)\]\s+(.*)$/.exec(line);
    if (section === 'error' && e) errors[e[2]] = Number(e[1]);
  }
  const ok = Object.entries(statuses).reduce((n, [st, c]) => n + (st.startsWith('2') ? c : 0), 0);
  const non2xx = Object.entries(statuses).reduce((n, [st, c]) => n + (st.startsWith('2') ? 0 : c), 0);
  const errs = Object.values(errors).reduce((a, b) => a + b, 0);
  if (Number.isNaN(totalSecs)) throw new Error(`could not read hey's report (exit ${code}):\n${text}`);
  return { sent: ok + non2xx + errs, failed: non2xx + errs, statuses, errors, secs: totalSecs };
}
