import * as runner from '../runner';
import type { RollbackInputs } from '../inputs';
import { shouldNotify, slackMessage } from '../notify/message';
import { sendWebhook } from '../notify/webhook';
import { failedStage, resultOf, type RunReport } from './run-report';

/** The notify-webhook message, on the events notify-on names. A failure to send is a warning. */
export async function notifyRun(report: RunReport, r: RollbackInputs): Promise<void> {
  if (!r.notifyWebhook) return;
  const result = resultOf(report);
  if (!shouldNotify(r.notifyOn, result, report.verify?.autoRolledBack)) return;
  const failed = report.records.find((s) => s.status === 'failed');
  const release = report.deploy?.release;
  const message = slackMessage({
    repository: report.ctx?.repository ?? '',
    environment: report.environment,
    result,
    failedStage: failedStage(report),
    reason: report.inputError ?? failed?.detail,
    branch: report.ctx?.branch,
    sha: release?.version.sha ?? report.ctx?.sha ?? '',
    actor: report.ctx?.actor,
    runUrl: report.ctx?.runUrl,
    url: report.deploy?.url ?? report.verifyUrl,
    rollback:
      release?.isRollback && release.live ? { from: release.live.sha, to: release.version.sha } : undefined,
  });
  if (await sendWebhook(r.notifyWebhook, message, { warn: runner.warning }))
    runner.info('Notification sent.');
}
