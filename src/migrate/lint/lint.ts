import { loadModule, parseSync, SqlError } from 'libpg-query';
import type { ParseResult } from 'libpg-query';
import type { MigrationFile } from '../layout';
import { allowedAbove, allowedInFile } from './allow';
import { strayTransactionControl } from '../prepare';
import { rangeVarKey } from './ast';
import { checkStatement, FileState, Knowledge } from './checks';
import { isAllowed, RULE_IDS, RULES } from './rules';
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

export interface LintOptions {
  /**
   * The built-in runner applies the migrations (default), rather than migrate-command: then an
   * allow comment does not cover what the runner refuses anyway (transaction control, DROP DATABASE).
   */
  builtInRunner?: boolean;
}

/**
 * Lint one migration. `known` carries what earlier migrations did (see `lintMigrations`); a fresh
 * one knows only what this file does.
 */
export async function lintMigration(
  file: MigrationFile,
  known = new Knowledge(),
  options: LintOptions = {},
): Promise<Finding[]> {
  await loadParser();
  return lintParsed(file, known, options);
}

/**
 * Lint several migrations in apply order, carrying what each did into the next: column types (a
 * varchar widened in 002 after 001 created it is not reported) and validated NOT NULL checks (a
 * SET NOT NULL in 003 after 001 added CHECK (col IS NOT NULL) NOT VALID and 002 validated it is
 * not reported). `context` files (e.g. the migrations already applied) only contribute that
 * knowledge and are not reported on.
 */
export async function lintMigrations(
  files: MigrationFile[],
  options: LintOptions & { context?: MigrationFile[] } = {},
): Promise<Finding[]> {
  await loadParser();
  const known = new Knowledge();
  for (const file of options.context ?? []) lintParsed(file, known, options);
  return files.flatMap((file) => lintParsed(file, known, options));
}

function lintParsed(file: MigrationFile, known: Knowledge, options: LintOptions): Finding[] {
  const src = new SqlSource(file.sql);
  if (src.sql.trim() === '') return [];
  let tree: ParseResult;
  try {
    tree = parseSync(src.sql);
  } catch (err) {
    return [syntaxError(file, src, err)];
  }
  const views = new Set<string>();
  for (const raw of tree.stmts ?? [])
    if (raw.stmt && 'ViewStmt' in raw.stmt) views.add(rangeVarKey(raw.stmt.ViewStmt.view));
  const state = new FileState(known, views);
  const findings: Finding[] = transactionControl(file, src, options);
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
      findings.push(finding(file, rule, lineIndex, statement, mayAllow(rule, allowed, options)));
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
      isAllowed(rule.id, allowedInFile(src.lines)),
    ),
    why: `${message}. ${rule.why}`,
  };
}

/**
 * Transaction control as the built-in runner treats it: the runner's own file preparation says
 * which statements it refuses, so the lint reports exactly those.
 */
function transactionControl(file: MigrationFile, src: SqlSource, options: LintOptions): Finding[] {
  return strayTransactionControl(src.sql).map(({ statement, what }) => {
    const lineIndex = src.lineOf(statement.start);
    const f = finding(
      file,
      'transaction-control',
      lineIndex,
      oneLine(statement.text),
      mayAllow('transaction-control', allowedAbove(src.lines, lineIndex), options),
    );
    return { ...f, why: `${capitalise(what)}. ${f.why}` };
  });
}

/** Whether the allow comment's names cover `rule`, and may (see LintOptions.builtInRunner). */
function mayAllow(rule: RuleId, names: ReadonlySet<string>, options: LintOptions): boolean {
  if (RULES[rule].refusedByRunner && (options.builtInRunner ?? true)) return false;
  return isAllowed(rule, names);
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
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
