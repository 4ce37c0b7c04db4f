import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '@bronze/core';
import { benchDatabases } from '../src/databases.js';

const dir = mkdtempSync(join(tmpdir(), 'bronze-bench-dbs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tables = async (dataDir: string) => {
  const db = await openDatabase({ dataDir });
  try {
    return await db.withSession((s) => s.query<{ name: string }>(`SELECT relname AS name FROM pg_class WHERE relname = 'bench_left_over'`));
  } finally {
    await db.close();
  }
};

// `pnpm bench --engine pglite --dir D` run twice: the second run met the first's tables
// (its raw COPY failed on bronze_bench_copy_latest's key) and its ingest found the file
// already imported. Each run starts from fresh databases in D.
it('gives a PGlite --dir used before fresh databases', async () => {
  const first = await benchDatabases('pglite', dir, undefined, false);
  await first.copy.withSession((s) => s.query('CREATE TABLE bench_left_over (x int)'));
  await first.drop();
  const ingestDb = await openDatabase({ dataDir: join(dir, 'ingest-db') });
  await ingestDb.withSession((s) => s.query('CREATE TABLE bench_left_over (x int)'));
  await ingestDb.close();

  const second = await benchDatabases('pglite', dir, undefined, false);
  await second.drop();
  expect(await tables(join(dir, 'copy-db'))).toEqual([]);
  expect(await tables(join(dir, 'ingest-db'))).toEqual([]);
}, 120_000);
