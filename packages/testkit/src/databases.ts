import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, migrate, type BronzeDatabase } from '@bronze/core';
import { afterAll, beforeAll, describe } from 'vitest';

export type Engine = 'pglite' | 'postgres';

export interface TestDatabase extends BronzeDatabase {
  /** Connection facts for child processes: DATABASE_URL or BRONZE_DATA_DIR. */
  env: Record<string, string>;
}

/**
 * The engines every database test runs on: PGlite always, PostgreSQL when
 * TEST_DATABASE_URL is set (CI sets it). A set URL whose server is down fails the tests.
 */
export function testEngines(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated database: a temp PGlite directory or a new database on the server. */
export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'bronze-test-'));
    const dataDir = join(dir, 'db');
    const db = await openDatabase({ dataDir });
    await db.withSession((s) => migrate(s));
    return Object.assign(Object.create(db) as BronzeDatabase, {
      env: { BRONZE_DATA_DIR: dataDir },
      async close() {
        await db.close().catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    }) as TestDatabase;
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const name = `bronze_t_${randomBytes(6).toString('hex')}`;
  const admin = await adminClient(base);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString() });
  await db.withSession((s) => migrate(s));
  return Object.assign(Object.create(db) as BronzeDatabase, {
    env: { DATABASE_URL: url.toString() },
    async close() {
      await db.close().catch(() => undefined);
      const c = await adminClient(base);
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  }) as TestDatabase;
}

/**
 * A connection to TEST_DATABASE_URL's database, which only serves to create and drop the
 * per-test databases. When that database does not exist yet (a fresh server has only
 * `postgres`), it is created through the `postgres` database first.
 */
export async function adminClient(base: string): Promise<pg.Client> {
  const url = new URL(base);
  const where = `${url.hostname}:${url.port || 5432}`;
  const connect = async (connectionString: string) => {
    const c = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
    try {
      await c.connect();
      return c;
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
  };
  try {
    return await connect(base);
  } catch (err) {
    const e = err as Error & { code?: string };
    const dbName = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
    if (e.code !== '3D000') {
      throw new Error(`TEST_DATABASE_URL is set but PostgreSQL at ${where} is unreachable (${e.message}); start it or unset the variable`);
    }
    const viaPostgres = new URL(base);
    viaPostgres.pathname = '/postgres';
    let c: pg.Client;
    try {
      c = await connect(viaPostgres.toString());
    } catch (inner) {
      throw new Error(`TEST_DATABASE_URL names database "${dbName}", which does not exist on ${where}, and it could not be created (${(inner as Error).message}): create it (createdb ${dbName}) or fix the URL`);
    }
    try {
      await c.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`);
    } catch (inner) {
      if ((inner as { code?: string }).code !== '42P04') {
        throw new Error(`TEST_DATABASE_URL names database "${dbName}", which does not exist on ${where}; creating it failed (${(inner as Error).message})`);
      }
    } finally {
      await c.end();
    }
    return connect(base);
  }
}

/**
 * Runs the suite once per engine with one shared database per engine (PGlite takes
 * seconds to start): `describeEachEngine('loader', (db) => { it(..., async () => db().…) })`.
 */
export function describeEachEngine(name: string, suite: (db: () => TestDatabase, engine: Engine) => void, engines: Engine[] = testEngines()): void {
  for (const engine of engines) {
    describe(`${name} [${engine}]`, () => {
      let db: TestDatabase | undefined;
      // Generous: PGlite takes minutes to start on a machine busy with other test runs.
      beforeAll(async () => {
        db = await createTestDatabase(engine);
      }, 600_000);
      afterAll(async () => {
        await db?.close();
      }, 300_000);
      suite(() => {
        if (!db) throw new Error(`the ${engine} test database did not start`);
        return db;
      }, engine);
    });
  }
}

/**
 * A source's own cases, on one engine: PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
 * What is engine-sensitive (the loader, cursors, the SQL) is core's and runs on both engines in
 * core's tests and in every source's conformance suite; a source's parsing does not depend on
 * the engine, and running it twice only doubled CI time.
 */
export function describeOneEngine(name: string, suite: (db: () => TestDatabase, engine: Engine) => void): void {
  describeEachEngine(name, suite, [testEngines().at(-1)!]);
}

/** Rows of a bronze table as comparable tuples (the identity of what is stored). */
export async function tableSnapshot(db: BronzeDatabase, source: string): Promise<string[]> {
  const rows = await db.withSession((s) =>
    s.query<{ stream: string; raw_id: string; version: number; record_hash: string; validation_status: string }>(
      `SELECT stream, raw_id, version, record_hash, validation_status FROM bronze_${source} ORDER BY stream, raw_id, version`,
    ),
  );
  return rows.map((r) => `${r.stream}|${r.raw_id}|${r.version}|${r.record_hash}|${r.validation_status}`);
}

export async function countRows(db: BronzeDatabase, source: string, where = 'true'): Promise<number> {
  const [r] = await db.withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_${source} WHERE ${where}`));
  return r.n;
}
