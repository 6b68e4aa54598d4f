import path from 'node:path';
import * as runner from '../runner';
import { redact } from '../secrets';
import { ANNOTATION_CAP, type Annotation } from '../types';

/** The runner edge: outputs, annotations and the job summary, all passed through `redact`. */
export function writeOutputs(outputs: Record<string, string>): void {
  for (const [name, value] of Object.entries(outputs)) runner.setOutput(name, redact(value));
}

/**
 * GitHub places an annotation by a path relative to the repository root (GITHUB_WORKSPACE); stage
 * results give paths relative to working-directory. Only the first ANNOTATION_CAP of each level
 * are written: the rest would be dropped by GitHub anyway, and stages say in the summary which
 * of theirs were annotated.
 */
export function writeAnnotations(
  annotations: Annotation[],
  workDir: string,
  workspace = process.env.GITHUB_WORKSPACE,
): void {
  const written = { error: 0, warning: 0, notice: 0 };
  for (const a of annotations) {
    if (written[a.level]++ >= ANNOTATION_CAP) continue;
    const file = a.file && workspace ? path.relative(workspace, path.resolve(workDir, a.file)) : a.file;
    const props = { title: a.title && redact(a.title), file, startLine: a.line };
    const message = redact(a.message);
    if (a.level === 'error') runner.error(message, props);
    else if (a.level === 'warning') runner.warning(message, props);
    else runner.notice(message, props);
  }
}

/** Best effort: a summary that cannot be written is a warning, never a failed run. */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await runner.appendSummary(redact(markdown));
  } catch (err) {
    runner.warning(`Could not write the job summary: ${(err as Error).message}`);
  }
}
