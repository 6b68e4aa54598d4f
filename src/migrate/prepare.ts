import { needsNoTransaction, splitStatements, transactionControl, type SqlStatement } from './split';

/**
 * How a file will run. Normally the whole file goes to the server as one query inside the
 * runner's transaction (so PostgreSQL, not our splitter, decides the statements, and a syntax
 * error anywhere means nothing ran). A file with a statement that cannot run in a transaction
 * (CREATE INDEX CONCURRENTLY …) runs statement by statement instead.
 */
export type PreparedFile =
  | { mode: 'transaction'; text: string }
  | { mode: 'statements'; statements: SqlStatement[]; reason: string }
  | { mode: 'invalid'; message: string; offset: number };

export function prepareFile(sql: string): PreparedFile {
  const statements = splitStatements(sql);
  const control = statements.map((s) => transactionControl(s));
  let text = sql;
  let body = statements;
  // A file wrapped in its own BEGIN … COMMIT is common and means what the runner does anyway:
  // blank the wrapper out (same length, so pg positions still map to lines) rather than let its
  // COMMIT end the runner's transaction before the file is recorded.
  const first = statements[0];
  const last = statements[statements.length - 1];
  if (
    statements.length >= 2 &&
    first &&
    last &&
    control[0] === 'begin' &&
    control[control.length - 1] === 'commit'
  ) {
    text = blank(blank(text, first), last);
    body = statements.slice(1, -1);
    control.splice(0, 1);
    control.splice(-1, 1);
  }
  const stray = control.findIndex((c) => c !== undefined);
  const strayStmt = body[stray];
  if (strayStmt) {
    return {
      mode: 'invalid',
      offset: strayStmt.start,
      message:
        `contains transaction control ("${firstLine(strayStmt.text)}"): safe-deploy runs each file in its own ` +
        'transaction and records it in the same one; remove it (a whole-file BEGIN … COMMIT wrapper is allowed)',
    };
  }
  const outside = body.find((s) => needsNoTransaction(s));
  if (outside) {
    return {
      mode: 'statements',
      statements: body,
      reason: `"${firstLine(outside.text)}" cannot run in a transaction`,
    };
  }
  return { mode: 'transaction', text };
}

function blank(text: string, stmt: SqlStatement): string {
  const end = stmt.start + stmt.text.length;
  return text.slice(0, stmt.start) + text.slice(stmt.start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
