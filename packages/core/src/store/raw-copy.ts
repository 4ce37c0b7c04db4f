import { readFileSync } from 'node:fs';
import type { BronzeDatabase } from '../db/database.js';
import type { Session } from '../db/session.js';
import { MonthPartitions } from '../loader/partitions.js';
import { quoteIdent } from '../archive/catalog.js';
import { ensureSourceTable } from './source-tables.js';

/**
 * The baselines the ingest benchmark measures bronze's loader against, on the same rows:
 * COPY text files written with `copyRowsText` (core's own COPY text) for bronze_<source>.
 */
export interface CopyTextFiles {
  /** The `COPY bronze_<source> (columns…) FROM STDIN` statement the files were written for. */
  statement: string;
  files: string[];
  /** Months (`YYYY-MM-01`) the rows fall in: their partitions are made first, untimed. */
  months: Iterable<string>;
}

async function copyFile(session: Session, statement: string, path: string): Promise<void> {
  // The bytes as written, as the loader now sends them: no decoding and encoding again.
  await session.copyFrom!(statement, [readFileSync(path)]);
}

const monthDates = (months: Iterable<string>) => [...months].map((m) => new Date(`${m}T00:00:00Z`));

/**
 * Raw COPY of the files into bronze_<source> (created by the same DDL as every source's
 * table, with the same partitions and indexes): the database's own limit for these rows.
 * Only the COPY is timed; `_latest` is filled afterwards, as the loader keeps it.
 */
export async function rawCopyBaseline(db: BronzeDatabase, source: string, rows: CopyTextFiles): Promise<{ seconds: number }> {
  const table = quoteIdent(`bronze_${source}`);
  const latest = quoteIdent(`bronze_${source}_latest`);
  return db.withSession(async (s) => {
    await ensureSourceTable(s, source);
    await new MonthPartitions(`bronze_${source}`).ensureFor(s, monthDates(rows.months));
    const started = performance.now();
    for (const f of rows.files) await copyFile(s, rows.statement, f);
    const seconds = (performance.now() - started) / 1000;
    await s.query(`INSERT INTO ${latest} (stream, raw_id, version, record_hash)
      SELECT DISTINCT ON (stream, raw_id) stream, raw_id, version, record_hash FROM ${table} ORDER BY stream, raw_id, version DESC`);
    return { seconds };
  });
}

/**
 * The classic way to load a cumulative export idempotently, for comparison with the loader's
 * superset re-import: per file, one transaction that COPYs into a temporary stage table and
 * inserts what `INSERT … ON CONFLICT DO NOTHING` on the keys admits.
 */
export async function stageAndInsertBaseline(db: BronzeDatabase, source: string, rows: CopyTextFiles): Promise<{ seconds: number; inserted: number }> {
  const table = quoteIdent(`bronze_${source}`);
  const latest = quoteIdent(`bronze_${source}_latest`);
  const columns = /\(([^)]*)\)/.exec(rows.statement)![1];
  const stageStatement = `COPY bronze_stage (${columns}) FROM STDIN`;
  return db.withSession(async (s) => {
    await new MonthPartitions(`bronze_${source}`).ensureFor(s, monthDates(rows.months));
    let inserted = 0;
    const started = performance.now();
    for (const f of rows.files) {
      await s.transaction(async () => {
        // No defaults copied: a stage LIKE … INCLUDING DEFAULTS would burn sequence values.
        await s.query(`CREATE TEMP TABLE bronze_stage ON COMMIT DROP AS SELECT ${columns} FROM ${table} WITH NO DATA`);
        await copyFile(s, stageStatement, f);
        const [r] = await s.query<{ n: number }>(`WITH fresh AS (
            INSERT INTO ${latest} (stream, raw_id, version, record_hash)
            SELECT stream, raw_id, 1, record_hash FROM bronze_stage ON CONFLICT DO NOTHING RETURNING stream, raw_id),
          stored AS (INSERT INTO ${table} (${columns}) SELECT ${columns.split(', ').map((c) => `s.${c}`).join(', ')}
            FROM bronze_stage s JOIN fresh USING (stream, raw_id) RETURNING 1)
          SELECT count(*)::int AS n FROM stored`);
        inserted += r.n;
      });
    }
    return { seconds: (performance.now() - started) / 1000, inserted };
  });
}
