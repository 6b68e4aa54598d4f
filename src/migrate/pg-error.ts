import pg from 'pg';
import { safeMessage } from './session';

/** What a failed statement tells a person: the pg message, its SQLSTATE and where in the file. */
export interface SqlErrorInfo {
  message: string;
  sqlstate?: string;
  /** 1-based line in the migration file (layout offset included), when pg gave a position. */
  line?: number;
  /** pg's 1-based character position in the text that was sent. */
  position?: number;
}

export interface SentText {
  /** The text sent to the server. */
  text: string;
  /** Where `text` starts in the file's SQL (UTF-16 index); text and SQL align unit for unit. */
  offset: number;
  /** The file's SQL, to count lines in. */
  sql: string;
  /** Lines of the file before `sql` starts (e.g. a dbmate header). */
  lineOffset: number;
}

export const LOCK_NOT_AVAILABLE = '55P03';

export function sqlstateOf(err: unknown): string | undefined {
  return err instanceof pg.DatabaseError && typeof err.code === 'string' ? err.code : undefined;
}

export function describeSqlError(err: unknown, sent: SentText, databaseUrl: string): SqlErrorInfo {
  const message = safeMessage(err, databaseUrl);
  if (!(err instanceof pg.DatabaseError)) return { message };
  const position = err.position ? Number(err.position) : undefined;
  // A position only means something in the file's own text (not, say, in our history INSERT).
  // Without a position, the line where the statement that failed starts.
  const line = !sent.text
    ? undefined
    : lineAt(sent, position && position > 0 ? position : firstToken(sent.text));
  const extra = [
    err.detail && `detail: ${err.detail}`,
    err.hint && `hint: ${err.hint}`,
    err.where && `where: ${err.where}`,
  ].filter(Boolean);
  const full = [message, ...extra].map((m) => safeMessage(m, databaseUrl)).join('; ');
  return { message: full, sqlstate: err.code, line, position };
}

/** 1-based character position of the first non-blank character. */
function firstToken(text: string): number {
  return Array.from(text).findIndex((ch) => !/\s/.test(ch)) + 1 || 1;
}

/** pg counts positions in characters (code points); JS strings index UTF-16 units. */
function lineAt(sent: SentText, position: number): number {
  let index = 0;
  let chars = 0;
  while (index < sent.text.length && chars < position - 1) {
    const cp = sent.text.codePointAt(index) as number;
    index += cp > 0xffff ? 2 : 1;
    chars++;
  }
  const upto = sent.sql.slice(0, sent.offset + index);
  let newlines = 0;
  for (const ch of upto) if (ch === '\n') newlines++;
  return sent.lineOffset + newlines + 1;
}
