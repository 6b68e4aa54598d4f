/**
 * A small SQL lexer that splits a migration into statements the way psql does: semicolons inside
 * strings, quoted identifiers, dollar quotes, comments, parentheses and `BEGIN ATOMIC … END`
 * function bodies do not end a statement. It never judges syntax: PostgreSQL does that, with its
 * own messages and positions. We only need statement boundaries and the bare words of each one
 * (to spot `CONCURRENTLY` and transaction control outside comments and strings).
 */

export interface SqlStatement {
  /** The statement's text, from its first token up to (not including) its terminating `;`. */
  text: string;
  /** Offset of `text` in the file's SQL (UTF-16 index), to map pg error positions back to lines. */
  start: number;
  /** Bare (unquoted) words of the statement, lower-cased, in order. */
  words: string[];
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DOLLAR_TAG = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

export function splitStatements(sql: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let start = -1; // offset of the current statement's first token; -1 while only whitespace/comments
  let words: string[] = [];
  let parenDepth = 0;
  let beginDepth = 0;

  const flush = (end: number): void => {
    if (start >= 0) out.push({ text: sql.slice(start, end).trimEnd(), start, words });
    start = -1;
    words = [];
    parenDepth = 0;
    beginDepth = 0;
  };
  const mark = (i: number): void => {
    if (start < 0) start = i;
  };
  // psql's heuristic: only in CREATE [OR REPLACE] FUNCTION|PROCEDURE do BEGIN/CASE/END nest.
  const inRoutineDefinition = (): boolean => {
    const [a, b, c, d] = words;
    return (
      a === 'create' &&
      (b === 'function' ||
        b === 'procedure' ||
        (b === 'or' && c === 'replace' && (d === 'function' || d === 'procedure')))
    );
  };

  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl + 1;
    } else if (ch === '/' && next === '*') {
      i = skipBlockComment(sql, i);
    } else if (ch === "'") {
      mark(i);
      // E'…' strings allow backslash escapes; the E was already consumed as a word.
      const prev = sql[i - 1];
      const escapes = (prev === 'E' || prev === 'e') && !IDENT_CHAR.test(sql[i - 2] ?? ' ');
      i = skipQuoted(sql, i, "'", escapes);
    } else if (ch === '"') {
      mark(i);
      i = skipQuoted(sql, i, '"', false);
    } else if (ch === '$' && !IDENT_CHAR.test(sql[i - 1] ?? ' ') && DOLLAR_TAG.test(sql.slice(i, i + 64))) {
      mark(i);
      const tag = (DOLLAR_TAG.exec(sql.slice(i)) as RegExpExecArray)[0];
      const close = sql.indexOf(tag, i + tag.length);
      i = close < 0 ? sql.length : close + tag.length;
    } else if (IDENT_START.test(ch)) {
      mark(i);
      let j = i + 1;
      while (j < sql.length && IDENT_CHAR.test(sql[j] as string)) j++;
      const word = sql.slice(i, j).toLowerCase();
      // A word glued to a quote is a string prefix (E'', U&'', B'', X''), not a keyword.
      if (sql[j] !== "'") words.push(word);
      if (parenDepth === 0 && inRoutineDefinition()) {
        if (word === 'begin') beginDepth++;
        else if (word === 'case' && beginDepth > 0) beginDepth++;
        else if (word === 'end' && beginDepth > 0) beginDepth--;
      }
      i = j;
    } else if (ch === ';' && parenDepth === 0 && beginDepth === 0) {
      flush(i);
      i++;
    } else {
      if (ch === '(') parenDepth++;
      else if (ch === ')' && parenDepth > 0) parenDepth--;
      if (!/\s/.test(ch)) mark(i);
      i++;
    }
  }
  flush(sql.length);
  return out;
}

function skipBlockComment(sql: string, i: number): number {
  // PostgreSQL block comments nest.
  let depth = 0;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

function skipQuoted(sql: string, i: number, quote: string, backslashEscapes: boolean): number {
  i++;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') i += 2;
    else if (ch === quote && sql[i + 1] === quote)
      i += 2; // doubled quote: an escaped quote
    else if (ch === quote) return i + 1;
    else i++;
  }
  return i;
}

/**
 * Statements PostgreSQL refuses to run inside a transaction block. `CONCURRENTLY` covers CREATE/DROP/
 * REINDEX INDEX, DETACH PARTITION and REFRESH MATERIALIZED VIEW (which could run in one, but
 * running it alone is harmless); the rest are the other common ones.
 */
export function needsNoTransaction(stmt: SqlStatement): boolean {
  const [a, b] = stmt.words;
  if (stmt.words.includes('concurrently')) return true;
  if (a === 'vacuum') return true;
  if ((a === 'create' || a === 'drop') && (b === 'database' || b === 'tablespace')) return true;
  if (a === 'alter' && b === 'system') return true;
  if (a === 'reindex' && (b === 'system' || b === 'database')) return true;
  return false;
}

/**
 * Top-level transaction control: BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT, PREPARE
 * TRANSACTION. Savepoints (SAVEPOINT, ROLLBACK TO, RELEASE) keep the runner's transaction intact.
 */
export function transactionControl(stmt: SqlStatement): 'begin' | 'commit' | 'other' | undefined {
  const [a, b] = stmt.words;
  if (a === 'begin' || (a === 'start' && b === 'transaction')) return 'begin';
  if (a === 'commit' || a === 'end') return stmt.words.includes('prepared') ? 'other' : 'commit';
  if (a === 'rollback' || a === 'abort') return stmt.words.includes('to') ? undefined : 'other';
  if (a === 'prepare' && b === 'transaction') return 'other';
  return undefined;
}
