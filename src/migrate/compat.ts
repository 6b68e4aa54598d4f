import type { Finding } from './lint/lint';

/**
 * Rules whose change breaks the previous app version, which keeps serving during the deploy and is
 * what a rollback returns to. A file with any of these (allowed or not) is not backward compatible.
 */
export const BREAKING_RULES: ReadonlySet<string> = new Set([
  'drop-column',
  'drop-table',
  'drop-schema',
  'truncate',
  'rename-column',
  'rename-table',
  'add-column-not-null-without-default',
  'set-not-null',
  'alter-column-type',
  'syntax-error',
]);

/** name → backward compatible?, for every file linted. */
export function compatibility(
  files: { name: string; relPath: string }[],
  findings: Finding[],
): Map<string, boolean> {
  const broken = new Set(findings.filter((f) => BREAKING_RULES.has(f.rule)).map((f) => f.file));
  return new Map(files.map((f) => [f.name, !broken.has(f.relPath)]));
}
