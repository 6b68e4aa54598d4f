/** The stages of a run, in the order they run. `report` always runs last. */
export const STAGE_NAMES = ['gate', 'build', 'migrate', 'deploy', 'verify', 'report'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type StageStatus = 'passed' | 'failed' | 'skipped';

/**
 * What every stage returns. `detail` is one line a person can act on: why it failed or was
 * skipped, or what it did. Stage-specific results extend this.
 */
export interface StageResult {
  status: StageStatus;
  detail: string;
  /** For a failure: what to do next, shown in the summary. */
  hint?: string;
}

export interface StageRecord extends StageResult {
  name: StageName;
  durationMs: number;
}

/** GitHub shows at most this many annotations of each level (error, warning, notice) per step. */
export const ANNOTATION_CAP = 10;

/** An annotation a stage wants on the run (file/line optional); the edge writes it. */
export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  title?: string;
  file?: string;
  line?: number;
}
