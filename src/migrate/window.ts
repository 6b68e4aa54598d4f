/**
 * When lock-taking migrations may run, e.g. `Sat,Sun 02:00-05:00 UTC` or `Mon-Fri 22:00-06:00 UTC`
 * (a window that crosses midnight belongs to the day it starts on). Several windows: `;` or new
 * lines. Time zone: `UTC` or a fixed offset such as `+02:00` (fixed offsets, so a window never
 * moves under daylight-saving changes without the user seeing it).
 */
export interface MigrationWindow {
  text: string;
  spans: { days: number[]; startMin: number; durationMin: number; offsetMin: number }[];
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEK_MIN = 7 * 1440;
const SPAN_RE =
  /^([A-Za-z,\s-]+?)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?:\s+(UTC|Z|[+-]\d{2}:?\d{2}))?$/i;
const ALLOWED = 'expected windows such as "Sat,Sun 02:00-05:00 UTC" or "Mon-Fri 22:00-06:00 +02:00"';

/**
 * A window that cannot be read: the part that was given and what is allowed. The code that reads
 * the action's inputs turns it into its own error; this module knows nothing of inputs.
 */
export class WindowError extends Error {
  constructor(
    readonly given: string,
    readonly allowed: string,
  ) {
    super(`${JSON.stringify(given)}: ${allowed}`);
    this.name = 'WindowError';
  }
}

export function parseWindow(raw: string): MigrationWindow {
  const spans = raw
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = SPAN_RE.exec(s);
      if (!m) throw new WindowError(s, ALLOWED);
      const [, dayPart, sh, sm, eh, em, tz] = m as unknown as string[];
      const startMin = toMinutes(s, sh!, sm!);
      const endMin = toMinutes(s, eh!, em!);
      if (startMin === endMin) throw new WindowError(s, 'a window must not start and end at the same time');
      return {
        days: parseDays(s, dayPart!),
        startMin,
        durationMin: (endMin - startMin + 1440) % 1440,
        offsetMin: parseOffset(tz),
      };
    });
  if (spans.length === 0) throw new WindowError(raw, ALLOWED);
  return { text: raw.trim(), spans };
}

/** Is `at` inside any window? */
export function isInWindow(w: MigrationWindow, at: Date): boolean {
  return w.spans.some((span) =>
    span.days.some((d) => {
      const since = mod(minuteOfWeek(at, span.offsetMin) - (d * 1440 + span.startMin), WEEK_MIN);
      return since < span.durationMin;
    }),
  );
}

/** The next moment a window opens, strictly after `at` (or `at` itself when one is open). */
export function nextWindowStart(w: MigrationWindow, at: Date): Date {
  if (isInWindow(w, at)) return at;
  let best = Infinity;
  for (const span of w.spans) {
    for (const d of span.days) {
      const until = mod(d * 1440 + span.startMin - minuteOfWeek(at, span.offsetMin), WEEK_MIN);
      best = Math.min(best, until === 0 ? WEEK_MIN : until);
    }
  }
  const start = new Date(at.getTime() + best * 60_000);
  start.setUTCSeconds(0, 0);
  return start;
}

function minuteOfWeek(at: Date, offsetMin: number): number {
  const local = new Date(at.getTime() + offsetMin * 60_000);
  return local.getUTCDay() * 1440 + local.getUTCHours() * 60 + local.getUTCMinutes();
}

function parseDays(span: string, part: string): number[] {
  const days = new Set<number>();
  for (const item of part
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)) {
    const [from, to] = item.split('-').map((s) => DAYS.indexOf(s.trim().slice(0, 3)));
    if (from === undefined || from < 0 || (to !== undefined && to < 0)) throw new WindowError(span, ALLOWED);
    // A range wraps around the week: Fri-Mon is Fri, Sat, Sun, Mon.
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (to === undefined || d === to) break;
    }
  }
  return [...days].sort();
}

function toMinutes(span: string, h: string, m: string): number {
  const hours = Number(h);
  const minutes = Number(m);
  if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) throw new WindowError(span, ALLOWED);
  return (hours * 60 + minutes) % 1440;
}

function parseOffset(tz: string | undefined): number {
  if (!tz || /^(utc|z)$/i.test(tz)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}
