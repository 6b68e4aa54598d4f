import { resultOf, type RunReport } from './run-report';

/** The step outputs, by their public names. Absent values are empty strings, never "undefined". */
export function computeOutputs(r: RunReport): Record<string, string> {
  const b = r.build;
  return {
    result: resultOf(r),
    sha: r.ctx?.sha ?? '',
    image: b?.image ?? '',
    digest: b?.digest ?? '',
    'image-ref': b?.imageRef ?? '',
    'build-skipped': String(b?.buildSkipped ?? false),
    'migrations-applied': JSON.stringify(r.migrate?.applied.map((a) => a.name) ?? []),
    // Findings not allowed by a comment: the ones someone still has to look at.
    'migration-findings': String(r.migrate?.findings.filter((f) => !f.allowed).length ?? 0),
    'previous-sha': r.deploy?.previous?.sha ?? '',
    'previous-image': r.deploy?.previous?.image ?? '',
    'auto-rolled-back': String(r.verify?.autoRolledBack ?? false),
    url: r.deploy?.url ?? '',
    coverage: r.gate?.coverage ? String(r.gate.coverage.percent) : '',
    stages: JSON.stringify(
      r.records.map(({ name, status, durationMs, detail }) => ({ name, status, durationMs, detail })),
    ),
    'duration-ms': String(r.durationMs),
  };
}
