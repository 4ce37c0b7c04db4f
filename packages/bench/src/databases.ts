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

/** A fresh database on the server (dropped afterwards), or fresh PGlite directories. */
export async function benchDatabases(engine: 'postgres' | 'pglite', dir: string, url: string | undefined, keep: boolean): Promise<BenchDatabases> {
  if (engine === 'pglite') {
    // The ingest's database is created here: a new PGlite directory costs a one-time
    // initdb (~800 MB peak RSS) that would hide the ingest's own peak. A --dir used before
    // holds the last run's databases: without this, their tables would meet this run's.
    for (const name of ['ingest-db', 'copy-db']) rmSync(join(dir, name), { recursive: true, force: true });
    const ingestDb = await openDatabase({ dataDir: join(dir, 'ingest-db') });
    await ingestDb.withSession((s) => migrate(s));
    await ingestDb.close();
    const copy = await openDatabase({ dataDir: join(dir, 'copy-db') });
    await copy.withSession((s) => migrate(s));
    const version = await copy.withSession((s) => serverVersion(s));
    return {
      childEnv: { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: join(dir, 'ingest-db') },
      copy,
      version: `${version} (PGlite)`,
      drop: () => copy.close(),
    };
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
