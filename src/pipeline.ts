import type { Log } from './log';
import type { StageName, StageRecord, StageResult } from './types';

/**
 * Runs stages in order and records how each went. Once a stage fails, later stages are recorded as
 * skipped without running: a failed gate must never reach the registry or production. A stage
 * that throws is a failed stage with the error's message, never a crashed run.
 */
export class Pipeline {
  readonly records: StageRecord[] = [];
  private failedStage?: StageName;

  constructor(
    private readonly log: Log,
    private readonly signal?: AbortSignal,
  ) {}

  get failed(): StageName | undefined {
    return this.failedStage;
  }

  async stage<R extends StageResult>(
    name: StageName,
    title: string,
    fn: () => Promise<R>,
  ): Promise<R | undefined> {
    if (this.failedStage) {
      this.skip(name, `skipped because ${this.failedStage} failed`);
      return undefined;
    }
    if (this.signal?.aborted) {
      this.record(name, { status: 'failed', detail: 'the run was cancelled before this stage started' }, 0);
      return undefined;
    }
    const started = Date.now();
    // A stage that throws has no result of its own type: record the failure, return undefined, and
    // never hand later code a half-filled result.
    let thrown: string | undefined;
    const result = await this.log.group(`${name}: ${title}`, async () => {
      try {
        const r = await fn();
        this.log.info(`${name} ${r.status}: ${r.detail}`);
        return r;
      } catch (err) {
        thrown = err instanceof Error ? err.message : String(err);
        this.log.info(`${name} failed: ${thrown}`);
        return undefined;
      }
    });
    this.record(name, result ?? { status: 'failed', detail: thrown ?? 'failed' }, Date.now() - started);
    return result;
  }

  skip(name: StageName, reason: string): void {
    this.record(name, { status: 'skipped', detail: reason }, 0);
  }

  private record(name: StageName, r: StageResult, durationMs: number): void {
    this.records.push({ name, status: r.status, detail: r.detail, hint: r.hint, durationMs });
    if (r.status === 'failed' && !this.failedStage) this.failedStage = name;
  }
}
