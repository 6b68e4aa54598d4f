import type { Version } from '../deploy/release';
import type { DeploymentRecord } from './deployments';

/**
 * GitHub's deployment history as versions: those that were live at some point (their latest status
 * is success, or inactive after a newer one replaced them), newest first; and the live one, the
 * newest whose latest status is still success.
 */
export function versionsFromHistory(records: DeploymentRecord[]): { live?: Version; known: Version[] } {
  const wasLive = records.filter((r) => r.state === 'success' || r.state === 'inactive');
  const toVersion = (r: DeploymentRecord): Version => ({
    sha: r.sha,
    image: r.imageRef ?? r.image ?? '',
    deployedAt: r.createdAt,
  });
  const live = wasLive.find((r) => r.state === 'success');
  return { live: live && toVersion(live), known: wasLive.map(toVersion) };
}
