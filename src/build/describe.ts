/**
 * What one build did, in words for the log and rows for the summary: builder, cached steps, the
 * cache source, image size and time. Pure, and free of the build's heavy modules (gRPC,
 * protobuf), so the report can import it without loading the build stage.
 */
import type { BuildOutcome } from './build-image';

export interface BuildInfo {
  builder: 'buildkit' | 'classic';
  /** Why the classic builder ran instead of BuildKit. */
  fallbackReason?: string;
  /** Dockerfile steps (FROM excluded) and which of them were cached; BuildKit only. */
  steps: { name: string; cached: boolean }[];
  /** The registry refs offered as cache, and those BuildKit imported. */
  cacheFrom: string[];
  cacheImported: string[];
  buildCache: 'registry' | 'none';
  sizeBytes?: number;
  seconds: number;
}

export function describeBuild(
  outcome: BuildOutcome,
  buildCache: 'registry' | 'none',
  cacheFrom: string[],
  seconds: number,
): BuildInfo {
  return {
    builder: outcome.builder,
    fallbackReason: outcome.fallbackReason,
    steps: (outcome.progress?.steps ?? []).map((s) => ({ name: s.name, cached: s.cached })),
    cacheFrom,
    cacheImported: outcome.progress?.cacheImports ?? [],
    buildCache,
    seconds,
  };
}

/** One log line a tired person can read: builder, cached steps, cache source, size, time. */
export function buildLine(i: BuildInfo): string {
  const cached = i.steps.filter((s) => s.cached).length;
  const parts = [
    i.builder === 'buildkit' ? 'BuildKit' : `classic builder (${i.fallbackReason ?? 'BuildKit unavailable'})`,
    ...(i.builder === 'buildkit' ? [`${cached} of ${i.steps.length} steps cached`] : []),
    `cache: ${cacheSource(i)}`,
    ...(i.sizeBytes !== undefined ? [`image ${formatBytes(i.sizeBytes)}`] : []),
    `${i.seconds.toFixed(1)}s`,
  ];
  return `Built with ${parts.join(', ')}.`;
}

export function cacheSource(i: BuildInfo): string {
  if (i.buildCache === 'none') return 'local only (build-cache: none)';
  if (i.cacheFrom.length === 0) return 'local only (no earlier image in the registry)';
  return `registry (${i.cacheFrom.join(', ')}) and local`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}

/** Summary rows (label, text) for one build. */
export function buildRows(i: BuildInfo): [string, string][] {
  const cached = i.steps.filter((s) => s.cached);
  const rows: [string, string][] = [
    [
      'Builder',
      i.builder === 'buildkit' ? 'BuildKit' : `classic (${i.fallbackReason ?? 'BuildKit unavailable'})`,
    ],
  ];
  if (i.builder === 'buildkit')
    rows.push([
      'Steps cached',
      `${cached.length} of ${i.steps.length}${cached.length ? `: ${cached.map((s) => `\`${s.name.length > 60 ? `${s.name.slice(0, 59)}…` : s.name}\``).join(', ')}` : ''}`,
    ]);
  rows.push(['Cache source', cacheSource(i)]);
  if (i.sizeBytes !== undefined) rows.push(['Image size', formatBytes(i.sizeBytes)]);
  rows.push(['Build time', `${i.seconds.toFixed(1)}s`]);
  return rows;
}
