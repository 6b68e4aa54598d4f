import { loadModule, parseSync, SqlError } from 'libpg-query';
import type { ParseResult } from 'libpg-query';
import type { MigrationFile } from '../layout';
import { allowedAbove, allowedInFile } from './allow';
import { checkStatement, FileState } from './checks';
import { ColumnTypes } from './column-types';
import { RULE_IDS, RULES } from './rules';
import type { RuleId } from './rules';
import { SqlSource } from './source';

export interface Finding {
  rule: string;
  /** The file's relPath. */
  file: string;
  /** 1-based, in the real file (dbmate's up section offset included). */
  line: number;
  /** The statement's first 200 characters, whitespace collapsed so it fits on one line. */
  statement: string;
  why: string;
  /** The safe alternative. */
  fix: string;
  allowed: boolean;
  /** Takes a lock that blocks a busy table: `migration-window` keeps these to its window. */
  locking: boolean;
}

const STATEMENT_CHARS = 200;

let ready: Promise<void> | undefined;

/** The parser is WebAssembly, instantiated once; after that parsing is synchronous and cheap. */
function loadParser(): Promise<void> {
  ready ??= loadModule();
  return ready;
}

/**
 * Lint one migration. `columns` carries column types declared by earlier migrations (see
 * `lintMigrations`); a fresh one knows only what this file declares.
 */
export async function lintMigration(file: MigrationFile, columns = new ColumnTypes()): Promise<Finding[]> {
  await loadParser();
  return lintParsed(file, columns);
}

/**
 * Lint several migrations in apply order. Column types declared by an earlier file inform later
 * ones (a varchar widened in 002 after 001 created it is not reported). `context` files (e.g. the
 * migrations already applied) only contribute that knowledge and are not reported on.
 */
export async function lintMigrations(
  files: MigrationFile[],
  options: { context?: MigrationFile[] } = {},
): Promise<Finding[]> {
  await loadParser();
  const columns = new ColumnTypes();
  for (const file of options.context ?? []) lintParsed(file, columns);
  return files.flatMap((file) => lintParsed(file, columns));
}

function lintParsed(file: MigrationFile, columns: ColumnTypes): Finding[] {
  const src = new SqlSource(file.sql);
  if (src.sql.trim() === '') return [];
  let tree: ParseResult;
  try {
    tree = parseSync(src.sql);
  } catch (err) {
    return [syntaxError(file, src, err)];
  }
  const state = new FileState(columns);
  const findings: Finding[] = [];
  for (const raw of tree.stmts ?? []) {
    if (!raw.stmt) continue;
    const hits = checkStatement(raw.stmt, state);
    if (hits.length === 0) continue;
    const from = src.fromByte(raw.stmt_location ?? 0);
    const to = raw.stmt_len ? src.fromByte((raw.stmt_location ?? 0) + raw.stmt_len) : src.sql.length;
    const start = src.skipTrivia(from, to);
    const lineIndex = src.lineOf(start);
    const allowed = allowedAbove(src.lines, lineIndex);
    const statement = oneLine(src.sql.slice(start, to));
    const seen = new Set<RuleId>();
    for (const { rule, newTable } of hits) {
      if (seen.has(rule) || (newTable && RULES[rule].exemptNewTable)) continue;
      seen.add(rule);
      findings.push(finding(file, rule, lineIndex, statement, allowed.has(rule)));
    }
  }
  return findings.sort(
    (a, b) => a.line - b.line || RULE_IDS.indexOf(a.rule as RuleId) - RULE_IDS.indexOf(b.rule as RuleId),
  );
}

function syntaxError(file: MigrationFile, src: SqlSource, err: unknown): Finding {
  const message = err instanceof Error ? err.message : String(err);
  const position = err instanceof SqlError ? (err.sqlDetails?.cursorPosition ?? 0) : 0;
  const lineIndex = src.lineOf(src.fromCodePoint(position));
  const rule = RULES['syntax-error'];
  return {
    ...finding(
      file,
      'syntax-error',
      lineIndex,
      oneLine(src.lines[lineIndex] ?? ''),
      allowedInFile(src.lines).has(rule.id),
    ),
    why: `${message}. ${rule.why}`,
  };
}

function finding(
  file: MigrationFile,
  rule: RuleId,
  lineIndex: number,
  statement: string,
  allowed: boolean,
): Finding {
  const r = RULES[rule];
  return {
    rule,
    file: file.relPath,
    line: file.lineOffset + lineIndex + 1,
    statement,
    why: r.why,
    fix: r.fix,
    allowed,
    locking: r.locking,
  };
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, STATEMENT_CHARS);
}
