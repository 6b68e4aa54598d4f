import crypto from 'node:crypto';
import pg from 'pg';

// The real PostgreSQL from scripts/services.sh, as its superuser.
export const PG_PASSWORD = process.env.SAFE_DEPLOY_PG_PASSWORD ?? 'safe-deploy';
export const PG_HOST = '127.0.0.1:5432';
export const ADMIN_URL = `postgres://postgres:${PG_PASSWORD}@${PG_HOST}/postgres`;

/** The URL of database `name` (as postgres unless given `user:password`). */
export function databaseUrl(name: string, credentials = `postgres:${PG_PASSWORD}`): string {
  return `postgres://${credentials}@${PG_HOST}/${name}`;
}

/** Runs one statement as postgres on the server's own database, on a connection of its own. */
export async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

// Per test file: Jest loads this module afresh for each one.
const created: string[] = [];

/**
 * A fresh database named `<prefix><12 hex digits>`, remembered for dropDatabases(); returns its
 * name and a URL for it (as postgres unless given `user:password`).
 */
export async function freshDatabase(
  prefix: string,
  credentials?: string,
): Promise<{ name: string; url: string }> {
  const name = `${prefix}${crypto.randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  created.push(name);
  return { name, url: databaseUrl(name, credentials) };
}

/** Drops every database freshDatabase() made since the last call, connections and all. */
export async function dropDatabases(): Promise<void> {
  for (const db of created.splice(0)) await adminQuery(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
}
