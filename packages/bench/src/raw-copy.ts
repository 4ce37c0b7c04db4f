import { readFileSync } from 'node:fs';
import { ensureSourceTable, MonthPartitions, type BronzeDatabase, type Session } from '@bronze/core';
import type { CopyFiles } from './rows.js';

/** The table the raw COPY fills: bronze_bench_copy, made by the same DDL as every source's table. */
export const COPY_SOURCE = 'bench_copy';
export const COPY_TABLE = `bronze_${COPY_SOURCE}`;

async function copyFile(session: Session, statement: string, path: string): Promise<void> {
  await session.copyFrom!(statement, [readFileSync(path, 'utf8')]);
}

/**
 * Raw COPY of the prepared rows into a fresh bronze table with the same partitions and
 * indexes as the real one: the database's own limit for these rows. The month
 * partitions are made first (the ingest makes them as it goes), untimed.
 */
export async function rawCopy(db: BronzeDatabase, rows: CopyFiles): Promise<{ seconds: number }> {
  return db.withSession(async (s) => {
    await ensureSourceTable(s, COPY_SOURCE);
    await new MonthPartitions(COPY_TABLE).ensureFor(s, [...rows.months].map((m) => new Date(`${m}T00:00:00Z`)));
    const started = performance.now();
    for (const f of rows.files) await copyFile(s, rows.statement, f);
    const seconds = (performance.now() - started) / 1000;
    // The comparison below needs the keys, as the loader's _latest table has them.
    await s.query(`INSERT INTO ${COPY_TABLE}_latest (stream, raw_id, version, record_hash)
      SELECT DISTINCT ON (stream, raw_id) stream, raw_id, version, record_hash FROM ${COPY_TABLE} ORDER BY stream, raw_id, version DESC`);
    return { seconds };
  });
}

/**
 * The classic way to load a cumulative export idempotently, for comparison with the
 * superset re-import: per 20,000 rows, one transaction that COPYs into a stage table
 * and inserts what `INSERT … ON CONFLICT DO NOTHING` on the keys admits.
 */
export async function stageAndInsert(db: BronzeDatabase, rows: CopyFiles): Promise<{ seconds: number; inserted: number }> {
  const columns = /\(([^)]*)\)/.exec(rows.statement)![1];
  const stageStatement = `COPY bench_stage (${columns}) FROM STDIN`;
  return db.withSession(async (s) => {
    await new MonthPartitions(COPY_TABLE).ensureFor(s, [...rows.months].map((m) => new Date(`${m}T00:00:00Z`)));
    let inserted = 0;
    const started = performance.now();
    for (const f of rows.files) {
      await s.transaction(async () => {
        // No defaults copied: a stage LIKE … INCLUDING DEFAULTS would burn sequence values.
        await s.query(`CREATE TEMP TABLE bench_stage ON COMMIT DROP AS SELECT ${columns} FROM ${COPY_TABLE} WITH NO DATA`);
        await copyFile(s, stageStatement, f);
        const [r] = await s.query<{ n: number }>(`WITH fresh AS (
            INSERT INTO ${COPY_TABLE}_latest (stream, raw_id, version, record_hash)
            SELECT stream, raw_id, 1, record_hash FROM bench_stage ON CONFLICT DO NOTHING RETURNING stream, raw_id),
          stored AS (INSERT INTO ${COPY_TABLE} (${columns}) SELECT ${columns.split(', ').map((c) => `s.${c}`).join(', ')}
            FROM bench_stage s JOIN fresh USING (stream, raw_id) RETURNING 1)
          SELECT count(*)::int AS n FROM stored`);
        inserted += r.n;
      });
    }
    return { seconds: (performance.now() - started) / 1000, inserted };
  });
}
