import * as runner from '../runner';
import { computeOutputs } from './outputs';
import type { RunReport } from './run-report';
import { renderSummary } from './summary';
import { writeAnnotations, writeOutputs, writeSummary } from './write';

/** Outputs, annotations and the job summary; each part best effort, none can cost the others. */
export async function writeReport(report: RunReport): Promise<void> {
  try {
    writeOutputs(computeOutputs(report));
  } catch (err) {
    runner.warning(`Could not write the step outputs: ${(err as Error).message}`);
  }
  try {
    writeAnnotations(
      [...(report.gate?.annotations ?? []), ...(report.migrate?.annotations ?? [])],
      report.workDir ?? '.',
    );
  } catch (err) {
    runner.warning(`Could not write the annotations: ${(err as Error).message}`);
  }
  let summary: string;
  try {
    summary = renderSummary(report);
  } catch (err) {
    summary = `## safe-deploy\n\nThe summary could not be rendered (${(err as Error).message}); see the log.\n`;
  }
  await writeSummary(summary);
}
