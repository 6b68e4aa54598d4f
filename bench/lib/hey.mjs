// hey's text report, read into counts: the benches that put a steady load on the proxy share it.

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
