import type { Finding } from './lint/lint';
import { isRuleId, RULES } from './lint/rules';

/** name → backward compatible (no finding of a rule that breaks the previous app version), per file. */
export function compatibility(
  files: { name: string; relPath: string }[],
  findings: Finding[],
): Map<string, boolean> {
  const broken = new Set(
    findings.filter((f) => isRuleId(f.rule) && RULES[f.rule].breaksPrevious).map((f) => f.file),
  );
  return new Map(files.map((f) => [f.name, !broken.has(f.relPath)]));
}
