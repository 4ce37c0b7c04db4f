import { AsyncLocalStorage } from 'node:async_hooks';
import { realpathSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { ConfigError, BronzeError } from '../errors.js';
import { loadSettings, type DatabaseChoice } from '../settings.js';
import { redactUrl } from '../secrets.js';
import type { MetaSchema } from './schema.js';
import { pgSession, pgliteSession } from './sessions.js';
import type { Session } from './session.js';
import { acquireDirectoryLock, type DirectoryLock } from './directory-lock.js';
import { ensureDataFolder } from './data-folder.js';
import { unpackPgliteSeed } from './pglite-seed.js';

export interface BronzeDatabase {
  readonly engine: 'postgres' | 'pglite';
  /** Where the data lives, password removed: for logs and `bronze status`. */
  readonly location: string;
  /** Typed queries on the meta tables (runs, state, files). */
  readonly kysely: Kysely<MetaSchema>;
  /** Runs fn on one dedicated connection (advisory locks are per connection). */
  withSession<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /**
   * A short read-only query for health checks, on a connection of its own (PostgreSQL: one
   * reserved connection with a statement timeout), so that runs holding every pooled
   * connection never make the database look unreachable. PGlite has one connection: the
   * query runs between a run's statements.
   */
  probe<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** How long a probe query may run on the server (PostgreSQL statement_timeout). */
const PROBE_STATEMENT_TIMEOUT_MS = 3000;

/** A DatabaseChoice (settings.database), or just its url or dataDir. */
export interface DatabaseOptions {
  engine?: DatabaseChoice['engine'];
  /** A postgres:// URL. */
  url?: string;
  /** PGlite data directory (absolute, or relative to the working directory). */
  dataDir?: string;
}

/**
 * Opens the chosen database: `settings.database` in the CLI. Library users may pass just
 * `{ url }` or `{ dataDir }`; with neither, the documented default is the database that
 * `loadSettings()` (process.env, the project's .env) selects.
 */
export async function openDatabase(options: DatabaseOptions = {}): Promise<BronzeDatabase> {
  const choice: DatabaseChoice = options.url
    ? { engine: 'postgres', url: options.url }
    : options.dataDir
      ? { engine: 'pglite', dataDir: options.dataDir }
      : loadSettings().database;
  return choice.engine === 'postgres' ? openPostgres(choice.url) : openPglite(choice.dataDir);
}

async function openPostgres(url: string): Promise<BronzeDatabase> {
  if (!/^postgres(ql)?:\/\//.test(url)) throw new ConfigError(`DATABASE_URL must start with postgres:// (got ${redactUrl(url)})`);
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  // A connection lost while checked out (server restart, pg_terminate_backend, a cut network)
  // emits 'error' on its client; unheard, that event kills the process. The query in flight
  // fails with the error anyway, and the session releases the broken client.
  pool.on('connect', (client) => client.on('error', () => undefined));
  try {
    const c = await pool.connect();
    const v = Number((await c.query<{ server_version_num: string }>('SHOW server_version_num')).rows[0].server_version_num);
    c.release();
    if (v < 150000) throw new ConfigError(`bronze needs PostgreSQL 15 or newer; ${redactUrl(url)} runs ${v}`);
  } catch (err) {
    await pool.end().catch(() => undefined);
    if (err instanceof BronzeError) throw err;
    throw new BronzeError(`cannot connect to PostgreSQL at ${redactUrl(url)}: ${(err as Error).message}`);
  }
  // The reserved health connection: opened on first use, never shared with runs.
  let probePool: pg.Pool | undefined;
  const probeQuery = async <T>(sql: string, params?: unknown[]): Promise<T[]> => {
    if (!probePool) {
      probePool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 5000, statement_timeout: PROBE_STATEMENT_TIMEOUT_MS, idleTimeoutMillis: 60_000 });
      probePool.on('error', () => undefined);
      probePool.on('connect', (client) => client.on('error', () => undefined));
    }
    return (await probePool.query(sql, params as unknown[])).rows as T[];
  };
  return {
    engine: 'postgres',
    location: redactUrl(url),
    probe: probeQuery,
    kysely: new Kysely<MetaSchema>({ dialect: new PostgresDialect({ pool }) }),
    async withSession(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        return await fn(pgSession(client));
      } catch (err) {
        broken = true;
        throw err;
      } finally {
        // A connection that failed mid-transaction or holds session locks is not reused.
        client.release(broken);
      }
    },
    async close() {
      await probePool?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/**
 * PGlite's shared buffers live in the process's own memory (WASM), unlike a server's. Its
 * default 128MB made every embedded command cost ~370 MB; the data folder's files stay in the
 * operating system's cache either way. Measured by `pnpm bench --startup` (README).
 */
const PGLITE_SHARED_BUFFERS = '32MB';

async function openPglite(configured: string): Promise<BronzeDatabase> {
  ensureDataFolder(configured);
  // One directory, one lock file, however it is spelled (trailing slash, `..`, a symlink).
  const dataDir = realpathSync(configured);
  // PGlite is single-process: two processes on one data directory would corrupt it.
  const lock: DirectoryLock = acquireDirectoryLock(`${dataDir}.lock`, dataDir);
  let db: PGlite;
  try {
    unpackPgliteSeed(dataDir);
    db = await PGlite.create({ dataDir, startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`] });
  } catch (err) {
    lock.release();
    throw new BronzeError(`cannot open the embedded database in ${dataDir}: ${(err as Error)?.message ?? String(err)}`);
  }
  const session = pgliteSession(db);
  let queue: Promise<unknown> = Promise.resolve();
  const inSession = new AsyncLocalStorage<true>();
  return {
    engine: 'pglite',
    location: dataDir,
    kysely: new Kysely<MetaSchema>({ dialect: new PGliteDialect(db) }),
    async probe<T>(sql: string, params?: unknown[]) {
      return (await db.query<T>(sql, params)).rows;
    },
    withSession(fn) {
      // One connection only: sessions take turns, and a session opened inside another
      // shares it (waiting for the outer one would deadlock). Read-only queries that must
      // not wait for a long run (health checks) use `kysely` directly.
      if (inSession.getStore()) return fn(session);
      const next = queue.then(() => inSession.run(true, () => fn(session)));
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      await db.close();
      lock.release();
    },
  };
}
