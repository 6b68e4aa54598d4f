import pg from 'pg';

/**
 * Opening the runner's single database session. The database URL carries a password, so nothing
 * that leaves this module may contain it: connection errors name host, port and database only,
 * and every other message passes through `redact`.
 */

export interface SessionOptions {
  databaseUrl: string;
  /** How long to wait for the server to accept the connection; default 30 s. */
  connectTimeoutMs?: number;
}

export class MigrationRunnerError extends Error {
  override name = 'MigrationRunnerError';
}

/** `host:port/database` from the URL, never the user or password; a fixed phrase if it won't parse. */
export function describeTarget(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      return 'the database (unsupported URL scheme)';
    // A socket directory may come as ?host=/path instead of in the authority.
    const host = url.hostname || url.searchParams.get('host') || 'localhost';
    const port = url.port || url.searchParams.get('port') || '5432';
    const db = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${port}/${db}`;
  } catch {
    return 'the database (the database URL does not parse)';
  }
}

/** Removes the URL and its password from a message, however a library chose to quote them. */
export function redact(message: string, databaseUrl: string): string {
  const secrets = new Set<string>([databaseUrl]);
  try {
    const url = new URL(databaseUrl);
    if (url.password) {
      secrets.add(url.password);
      secrets.add(decodeURIComponent(url.password));
    }
  } catch {
    // Unparseable URL: only the whole string is known to be secret.
  }
  let out = message;
  // Longest first, so the URL is replaced whole before its password part.
  for (const s of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('***');
  }
  return out;
}

export async function openSession(opts: SessionOptions): Promise<pg.Client> {
  const target = describeTarget(opts.databaseUrl);
  let client: pg.Client;
  try {
    client = new pg.Client({
      connectionString: opts.databaseUrl,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 30_000,
      application_name: 'safe-deploy migrate',
    });
  } catch (err) {
    throw new MigrationRunnerError(
      `cannot connect to PostgreSQL at ${target}: ${safeMessage(err, opts.databaseUrl)}`,
    );
  }
  // Without a listener, a connection dropped while idle would crash the process with an unhandled
  // 'error' event; the next query reports it instead.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new MigrationRunnerError(
      `cannot connect to PostgreSQL at ${target}: ${safeMessage(err, opts.databaseUrl)}`,
    );
  }
  return client;
}

export function safeMessage(err: unknown, databaseUrl: string): string {
  const raw = err instanceof Error ? err.message || err.name : String(err);
  return redact(raw, databaseUrl);
}
