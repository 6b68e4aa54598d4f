/**
 * Allow comments: `-- safe-deploy: allow <rule>[, <rule>]` (rules separated by commas and/or
 * spaces, case-insensitive). It counts when it sits in the run of `--` comment lines that ends on
 * the line directly above the statement's first line: a blank line or code breaks the run, so a
 * comment cannot leak onto a statement further down. Several allow lines, and explanatory comments
 * between the allow line and the statement, are fine.
 */

const ALLOW_RE = /^\s*--\s*safe-deploy:\s*allow\b(.*)$/i;
const COMMENT_LINE_RE = /^\s*--/;

/** Rules allowed for a statement whose first line is `lineIndex` (0-based) of `lines`. */
export function allowedAbove(lines: readonly string[], lineIndex: number): Set<string> {
  const allowed = new Set<string>();
  for (let i = lineIndex - 1; i >= 0; i--) {
    const line = lines[i] ?? '';
    if (!COMMENT_LINE_RE.test(line)) break;
    addRules(line, allowed);
  }
  return allowed;
}

/**
 * Rules allowed anywhere in the file. Only `syntax-error` uses it: when the file does not parse
 * there are no statements to attach a comment to.
 */
export function allowedInFile(lines: readonly string[]): Set<string> {
  const allowed = new Set<string>();
  for (const line of lines) addRules(line, allowed);
  return allowed;
}

function addRules(line: string, into: Set<string>): void {
  const m = ALLOW_RE.exec(line);
  if (!m) return;
  for (const rule of (m[1] ?? '').split(/[\s,]+/)) if (rule) into.add(rule.toLowerCase());
}
