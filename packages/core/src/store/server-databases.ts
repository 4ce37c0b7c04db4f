import pg from 'pg';
import type { Session } from '../db/session.js';
import { quoteIdent } from '../archive/catalog.js';

/**
 * Whole databases on a PostgreSQL server, for tools that need a fresh one per use (the
 * test suites, the benchmark): create, drop, connect as the administrator. `base` is a
 * postgres:// URL of any database the user may connect to; `what` names where the URL came
 * from (`TEST_DATABASE_URL`) in error messages.
 */

/** The URL of database `name` on base's server, same user and options. */
export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function connect(connectionString: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  try {
    await c.connect();
    return c;
  } catch (err) {
    await c.end().catch(() => undefined);
    throw err;
  }
}

/**
 * A connection to base's database, which only serves to create and drop others. When that
 * database does not exist yet (a fresh server has only `postgres`), it is created through
 * the `postgres` database first.
 */
export async function adminClient(base: string, what = 'the database URL'): Promise<pg.Client> {
  const url = new URL(base);
  const where = `${url.hostname}:${url.port || 5432}`;
  try {
    return await connect(base);
  } catch (err) {
    const e = err as Error & { code?: string };
    const dbName = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
    if (e.code !== '3D000') throw new Error(`${what} is set but PostgreSQL at ${where} is unreachable (${e.message}); start it or unset the variable`);
    let c: pg.Client;
    try {
      c = await connect(databaseUrl(base, 'postgres'));
    } catch (inner) {
      throw new Error(`${what} names database "${dbName}", which does not exist on ${where}, and it could not be created (${(inner as Error).message}): create it (createdb ${dbName}) or fix the URL`);
    }
    try {
      await c.query(`CREATE DATABASE ${quoteIdent(dbName)}`);
    } catch (inner) {
      if ((inner as { code?: string }).code !== '42P04') {
        throw new Error(`${what} names database "${dbName}", which does not exist on ${where}; creating it failed (${(inner as Error).message})`);
      }
    } finally {
      await c.end();
    }
    return connect(base);
  }
}

/** Creates database `name` on base's server (unless `ifMissing` and it exists); true when it was created. */
export async function createServerDatabase(base: string, name: string, o: { ifMissing?: boolean; what?: string } = {}): Promise<boolean> {
  const admin = await adminClient(base, o.what);
  try {
    if (o.ifMissing && (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) return false;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } finally {
    await admin.end();
  }
}

/** Drops database `name`, disconnecting whoever is still connected to it. */
export async function dropServerDatabase(base: string, name: string, what?: string): Promise<void> {
  const admin = await adminClient(base, what);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** The server's version as it states it (`16.4`, `18.0`…). */
export async function serverVersion(session: Pick<Session, 'query'>): Promise<string> {
  const [{ server_version }] = await session.query<{ server_version: string }>('SHOW server_version');
  return server_version;
}

/** The process id of the server backend behind this session (the benchmark reads its CPU in /proc). */
export async function backendProcessId(session: Pick<Session, 'query'>): Promise<number> {
  const [{ pid }] = await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  return pid;
}
