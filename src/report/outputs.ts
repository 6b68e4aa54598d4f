import { autoRolledBack, isRollback, resultOf, type RunReport } from './run-report';

/** The step outputs, by their public names. Absent values are empty strings, never "undefined". */
export function computeOutputs(r: RunReport): Record<string, string> {
  const b = r.build;
  // Without a build (rollback-to), the image comes from the release: a digest reference or a tag.
  const released = r.deploy?.release?.version.image;
  const releasedDigest = released?.includes('@') ? released.split('@')[1] : undefined;
  return {
    result: resultOf(r),
    // rollback-to deploys another commit than the one the run is for: report that one.
    sha: r.deploy?.release?.version.sha ?? r.ctx?.sha ?? '',
    image:
      b?.image ??
      (released ? `${released.split(/[@:](?=[^/]*$)/)[0]}:${r.deploy!.release!.version.sha}` : ''),
    digest: b?.digest ?? releasedDigest ?? '',
    // Always <image>@<digest>: never a tag, which could move.
    'image-ref': b ? (b.imageRef ?? '') : releasedDigest ? released! : '',
    'build-skipped': String(b?.buildSkipped ?? false),
    'migrations-applied': JSON.stringify(r.migrate?.applied.map((a) => a.name) ?? []),
    // Findings not allowed by a comment: the ones someone still has to look at.
    'migration-findings': String(r.migrate?.findings.filter((f) => !f.allowed).length ?? 0),
    'previous-sha': r.deploy?.previous?.sha ?? '',
    'previous-image': r.deploy?.previous?.image ?? '',
    'auto-rolled-back': String(autoRolledBack(r)),
    url: r.deploy?.url ?? r.verifyUrl ?? '',
    rollback: String(isRollback(r)),
    'deployment-id': r.deploymentId === undefined ? '' : String(r.deploymentId),
    coverage: r.gate?.coverage ? String(r.gate.coverage.percent) : '',
    stages: JSON.stringify(
      r.records.map(({ name, status, durationMs, detail }) => ({ name, status, durationMs, detail })),
    ),
    'duration-ms': String(r.durationMs),
  };
}
