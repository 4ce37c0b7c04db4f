import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import {
  adminClient as coreAdminClient, countSourceRows, createServerDatabase, databaseUrl, dropServerDatabase, migrate, openDatabase, rowIdentities, type BronzeDatabase,
} from '@bronze/core';
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
  await createServerDatabase(base, name, { what: 'TEST_DATABASE_URL' });
  const db = await openDatabase({ url: databaseUrl(base, name) });
  await db.withSession((s) => migrate(s));
  return Object.assign(Object.create(db) as BronzeDatabase, {
    env: { DATABASE_URL: databaseUrl(base, name) },
    async close() {
      await db.close().catch(() => undefined);
      await dropServerDatabase(base, name, 'TEST_DATABASE_URL');
    },
  }) as TestDatabase;
}

/**
 * A connection to TEST_DATABASE_URL's database, which only serves to create and drop the
 * per-test databases; created through `postgres` when the server does not have it yet.
 */
export function adminClient(base: string): Promise<pg.Client> {
  return coreAdminClient(base, 'TEST_DATABASE_URL');
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
export function tableSnapshot(db: BronzeDatabase, source: string): Promise<string[]> {
  return db.withSession((s) => rowIdentities(s, source));
}

/** Rows of bronze_<source>, all or those matching an SQL condition written in the test. */
export function countRows(db: BronzeDatabase, source: string, where = 'true'): Promise<number> {
  return db.withSession((s) => countSourceRows(s, source, where));
}
