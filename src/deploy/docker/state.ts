import { appContainers, nameOf } from './containers';
import { connect } from './context';
import { readLive, versionFromLabels } from './live';
import type { DockerTargetOptions, DockerVersion } from './types';

/**
 * What the host knows about an app and environment, read without changing anything: the live
 * version (from the proxy) and every version whose container it still has (retained for rollback),
 * newest first.
 */
export async function readDockerState(
  opts: DockerTargetOptions,
): Promise<{ live?: DockerVersion; retained: DockerVersion[] }> {
  const ctx = await connect(opts);
  const live = (await readLive(ctx)).version;
  const retained = (await appContainers(ctx))
    .map((c) => versionFromLabels(nameOf(c), c.Labels))
    .filter((v): v is DockerVersion => v !== undefined);
  return { live, retained };
}
