import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createServerDatabase, databaseUrl, dropServerDatabase, migrate, openDatabase, serverVersion, type BronzeDatabase } from '@bronze/core';

export interface BenchDatabases {
  /** Environment for the ingest child processes. */
  childEnv: NodeJS.ProcessEnv;
  /** Where the raw COPY and the stage comparison run. */
  copy: BronzeDatabase;
  version: string;
  drop(): Promise<void>;
}

/**
 * A new, migrated PGlite data folder `<dir>/ingest-db` for an ingest child, and the child's
 * environment. It is made here: a new PGlite directory costs a one-time initdb (~800 MB peak
 * RSS) that would hide the ingest's own peak. A --dir used before holds the last run's
 * database: without this, its tables would meet this run's.
 */
export async function freshPgliteIngest(dir: string): Promise<NodeJS.ProcessEnv> {
  const dataDir = join(dir, 'ingest-db');
  rmSync(dataDir, { recursive: true, force: true });
  const ingestDb = await openDatabase({ dataDir });
  await ingestDb.withSession((s) => migrate(s));
  await ingestDb.close();
  return { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: dataDir };
}

/** A fresh database on the server (dropped afterwards), or fresh PGlite directories. */
export async function benchDatabases(engine: 'postgres' | 'pglite', dir: string, url: string | undefined, keep: boolean): Promise<BenchDatabases> {
  if (engine === 'pglite') {
    const childEnv = await freshPgliteIngest(dir);
    rmSync(join(dir, 'copy-db'), { recursive: true, force: true });
    const copy = await openDatabase({ dataDir: join(dir, 'copy-db') });
    await copy.withSession((s) => migrate(s));
    const version = await copy.withSession((s) => serverVersion(s));
    return { childEnv, copy, version: `${version} (PGlite)`, drop: () => copy.close() };
  }
  const name = `bronze_bench_${randomBytes(4).toString('hex')}`;
  await createServerDatabase(url!, name, { what: 'DATABASE_URL' });
  const copy = await openDatabase({ url: databaseUrl(url!, name) });
  await copy.withSession((s) => migrate(s));
  const version = await copy.withSession((s) => serverVersion(s));
  return {
    childEnv: { ...process.env, DATABASE_URL: databaseUrl(url!, name) },
    copy,
    version,
    async drop() {
      await copy.close();
      if (!keep) await dropServerDatabase(url!, name, 'DATABASE_URL');
    },
  };
}
