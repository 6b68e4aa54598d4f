/**
 * `health-status` as the interface allows it: ranges and single codes, comma or space separated,
 * e.g. `200-399` or `200,204`. Shared by the in-proxy probe (deploy) and the runner probe (verify).
 */
export type StatusMatcher = (status: number) => boolean;

export function parseStatusRanges(spec: string): StatusMatcher {
  const ranges: Array<[number, number]> = [];
  for (const part of spec.split(/[\s,]+/).filter((p) => p !== '')) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part);
    if (!m) throw new Error(`health-status: "${part}" is not a status code or range such as 200-399`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > hi) throw new Error(`health-status: range "${part}" is reversed`);
    ranges.push([lo, hi]);
  }
  if (ranges.length === 0) throw new Error('health-status: expected a status code or range such as 200-399');
  return (status) => ranges.some(([lo, hi]) => status >= lo && status <= hi);
}
