import type { RefusedByRunner } from './lint/rules';
import { needsNoTransaction, splitStatements, transactionControl, type SqlStatement } from './split';

/**
 * How a file will run. Normally the whole file goes to the server as one query inside the
 * runner's transaction (so PostgreSQL, not our splitter, decides the statements, and a syntax
 * error anywhere means nothing ran). A file with a statement that cannot run in a transaction
 * (CREATE INDEX CONCURRENTLY …) runs statement by statement instead. A file the runner refuses
 * (`invalid`) is what the migration lint reports as `transaction-control` and `drop-database`:
 * both read it from here, so a pull request sees exactly what the deploy would refuse.
 */
export type PreparedFile =
  | { mode: 'transaction'; text: string }
  | { mode: 'statements'; statements: SqlStatement[]; reason: string }
  | { mode: 'invalid'; problem: RefusedByRunner; message: string; offset: number };

/** A transaction-control statement the runner refuses, and what is wrong with it. */
export interface StrayControl {
  statement: SqlStatement;
  /** e.g. "a BEGIN that is never committed", for messages. */
  what: string;
}

interface Body {
  text: string;
  statements: SqlStatement[];
  stray: StrayControl[];
}

export function prepareFile(sql: string): PreparedFile {
  const body = analyse(sql);
  const [stray] = body.stray;
  if (stray) {
    return {
      mode: 'invalid',
      problem: 'transaction-control',
      offset: stray.statement.start,
      message:
        `contains transaction control ("${firstLine(stray.statement.text)}"): ${stray.what}; safe-deploy runs each file ` +
        'in its own transaction and records it in the same one; remove it (a whole-file BEGIN … COMMIT wrapper is allowed)',
    };
  }
  const dropDb = body.statements.find(isDropDatabase);
  if (dropDb) {
    // Without this it would run statement by statement, outside any transaction: nothing undoes it.
    return {
      mode: 'invalid',
      problem: 'drop-database',
      offset: dropDb.start,
      message:
        `contains DROP DATABASE ("${firstLine(dropDb.text)}"): safe-deploy never drops a database from a migration ` +
        '(it cannot run in a transaction and cannot be undone); remove it and drop the database by hand after a backup',
    };
  }
  const outside = body.statements.find((s) => needsNoTransaction(s));
  if (outside) {
    return {
      mode: 'statements',
      statements: body.statements,
      reason: `"${firstLine(outside.text)}" cannot run in a transaction`,
    };
  }
  return { mode: 'transaction', text: body.text };
}

/** Every transaction-control statement of `sql` the runner refuses (it stops at the first). */
export function strayTransactionControl(sql: string): StrayControl[] {
  return analyse(sql).stray;
}

function analyse(sql: string): Body {
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
  return { text, statements: body, stray: describeStray(body, control) };
}

/** Names each refused statement the way a reader thinks of it: nested, never committed, lone. */
function describeStray(
  body: SqlStatement[],
  control: ReturnType<typeof transactionControl>[],
): StrayControl[] {
  const out: StrayControl[] = [];
  let open = false;
  control.forEach((c, i) => {
    const statement = body[i];
    if (!c || !statement) return;
    let what: string;
    if (c === 'begin') {
      const closes = control.slice(i + 1).some((later) => later === 'commit' || later === 'other');
      what = open
        ? 'a nested BEGIN'
        : closes
          ? 'a transaction of its own inside the file'
          : 'a BEGIN never committed';
      open = true;
    } else if (c === 'commit' && open) {
      what = 'the end of a transaction inside the file';
      open = false;
    } else {
      what =
        c === 'commit'
          ? "a COMMIT without a BEGIN, which would end the runner's transaction halfway through the file"
          : "it would end the runner's transaction halfway through the file";
      open = false;
    }
    out.push({ statement, what });
  });
  return out;
}

function isDropDatabase(stmt: SqlStatement): boolean {
  const [a, b] = stmt.words;
  return a === 'drop' && b === 'database';
}

function blank(text: string, stmt: SqlStatement): string {
  const end = stmt.start + stmt.text.length;
  return text.slice(0, stmt.start) + text.slice(stmt.start, end).replace(/[^\n]/g, ' ') + text.slice(end);
}

function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
