/**
 * Turns BuildKit's progress (a stream of StatusResponse snapshots, each repeating the vertices it
 * updates) into the lines a person reads, numbered like `docker build`'s plain output:
 *   #4 [2/3] RUN npm ci
 *   #4 added 312 packages
 *   #4 DONE 8.1s
 * and keeps what the summary needs: which Dockerfile steps were cached, which cache refs were
 * imported, and the failing step's last lines. Pure: no I/O, fed one decoded record at a time.
 */
import type { Status, Timestamp, Vertex } from './buildkit-proto';

const KEEP_LINES = 20;

interface VertexState {
  n: number;
  name: string;
  cached: boolean;
  started: boolean;
  done: boolean;
  error?: string;
  seconds?: number;
  lines: string[];
  partial: string;
}

export interface StepResult {
  name: string;
  cached: boolean;
  seconds?: number;
}

export interface ProgressReport {
  /** Dockerfile steps (`[2/4] RUN …`), FROM excluded, in the order they appeared. */
  steps: StepResult[];
  /** Refs BuildKit imported cache from (`importing cache manifest from <ref>`). */
  cacheImports: string[];
  /** The failing vertex and its last output lines, when one failed. */
  failed?: { name: string; error: string; lines: string[] };
}

// `[2/4] RUN …`, `[stage-0 2/4] RUN …`, `[build 1/3] FROM …`
const STEP_RE = /^\[(?:[\w.-]+ )?\d+\/\d+\] (\S+)/;
const IMPORT_RE = /^importing cache manifest from (\S+)/;

function seconds(a?: Timestamp, b?: Timestamp): number | undefined {
  if (!a || !b) return undefined;
  return b.seconds - a.seconds + (b.nanos - a.nanos) / 1e9;
}

export class BuildProgress {
  private readonly vertices = new Map<string, VertexState>();
  private readonly order: string[] = [];
  private shown = 0;

  /** Feeds one status record; returns the new log lines it produced. */
  feed(status: Status): string[] {
    const out: string[] = [];
    for (const v of status.vertexes) this.vertex(v, out);
    for (const log of status.logs) {
      const s = this.vertices.get(log.vertex);
      if (!s) continue;
      const text = s.partial + log.msg.toString('utf8');
      const parts = text.split(/\r?\n/);
      s.partial = parts.pop() ?? '';
      for (const line of parts) this.line(s, line, out);
    }
    return out;
  }

  private vertex(v: Vertex, out: string[]): void {
    let s = this.vertices.get(v.digest);
    if (!s) {
      s = { n: 0, name: v.name, cached: false, started: false, done: false, lines: [], partial: '' };
      this.vertices.set(v.digest, s);
      this.order.push(v.digest);
    }
    // Internal vertices (loading the context, the Dockerfile, metadata) are noise unless they fail.
    const quiet = v.name.startsWith('[internal]');
    // Numbered in the order steps start, as `docker build` numbers them.
    if (!quiet || v.error) this.number(s);
    if (v.started && !s.started) {
      s.started = true;
      if (!quiet) out.push(`#${s.n} ${v.name}`);
    }
    if (v.cached && !s.cached) {
      s.cached = true;
      if (!quiet) out.push(`#${s.n} CACHED`);
    }
    if (v.error && !s.error) {
      if (s.partial) this.line(s, s.partial, out);
      s.partial = '';
      s.error = v.error;
      out.push(`#${s.n} ERROR: ${v.error}`);
    }
    if (v.completed && !s.done) {
      s.done = true;
      if (s.partial) this.line(s, s.partial, out);
      s.partial = '';
      s.seconds = seconds(v.started, v.completed);
      if (!quiet && !s.cached && !s.error)
        out.push(`#${s.n} DONE${s.seconds === undefined ? '' : ` ${s.seconds.toFixed(1)}s`}`);
    }
  }

  private line(s: VertexState, line: string, out: string[]): void {
    if (line.trim() === '') return;
    this.number(s);
    out.push(`#${s.n} ${line}`);
    s.lines.push(line);
    if (s.lines.length > KEEP_LINES) s.lines.shift();
  }

  private number(s: VertexState): void {
    if (s.n === 0) s.n = ++this.shown;
  }

  report(): ProgressReport {
    const all = this.order.flatMap((d) => this.vertices.get(d) ?? []);
    const steps = all
      .filter((s) => STEP_RE.test(s.name) && STEP_RE.exec(s.name)?.[1] !== 'FROM')
      .map((s) => ({ name: s.name, cached: s.cached, seconds: s.seconds }));
    // A cache ref that is missing fails only its own import vertex; the build goes on without it.
    const cacheImports = all
      .filter((s) => !s.error)
      .map((s) => IMPORT_RE.exec(s.name)?.[1])
      .filter((r): r is string => !!r);
    for (const s of all) {
      if (IMPORT_RE.test(s.name)) continue;
      if (s.error)
        return { steps, cacheImports, failed: { name: s.name, error: s.error, lines: [...s.lines] } };
    }
    return { steps, cacheImports };
  }
}
