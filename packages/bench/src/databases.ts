import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, openDatabase, type BronzeDatabase } from '@bronze/core';

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
    // initdb (~800 MB peak RSS) that would hide the ingest's own peak.
    const ingestDb = await openDatabase({ dataDir: join(dir, 'ingest-db') });
    await ingestDb.withSession((s) => migrate(s));
    await ingestDb.close();
    const copy = await openDatabase({ dataDir: join(dir, 'copy-db') });
    await copy.withSession((s) => migrate(s));
    const [{ server_version: version }] = await copy.withSession((s) => s.query<{ server_version: string }>('SHOW server_version'));
    return {
      childEnv: { ...process.env, DATABASE_URL: '', PG_HOST: '', BRONZE_DATA_DIR: join(dir, 'ingest-db') },
      copy,
      version: `${version} (PGlite)`,
      drop: () => copy.close(),
    };
  }
  const name = `bronze_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url!);
  u.pathname = `/${name}`;
  const copy = await openDatabase({ url: u.toString() });
  await copy.withSession((s) => migrate(s));
  const [{ server_version: version }] = await copy.withSession((s) => s.query<{ server_version: string }>('SHOW server_version'));
  return {
    childEnv: { ...process.env, DATABASE_URL: u.toString() },
    copy,
    version,
    async drop() {
      await copy.close();
      if (keep) return;
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
