/**
 * `pnpm bench --queries`: loads generated bronze data (default 10M rows over 60 months,
 * three sources, five streams) into the real schema on PostgreSQL, then runs each
 * silver-layer query with 10 concurrent clients and reports p50/p95/p99, with
 * EXPLAIN (ANALYZE, BUFFERS) of the slowest.
 */
import pg from 'pg';
import { ensureSourceTable, migrate, openDatabase } from '@bronze/core';
import { loadMonth, monthsFrom, SOURCES, STREAMS } from './load.js';
import { QUERIES, type QueryContext } from './queries.js';

export interface QueryBenchOptions {
  url: string;
  rows: number;
  months: number;
  clients: number;
  iterations: number;
  /** Reuse this database when it already holds the data (before/after index changes). */
  database?: string;
  log: (m: string) => void;
}

export interface QueryFigures {
  rows: number;
  months: number;
  load_seconds?: number;
  load_rows_per_s?: number;
  table_bytes: number;
  clients: number;
  queries: Record<string, { what: string; samples: number; p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number }>;
  slowest: string;
  slowest_explain: string;
  postgres_version: string;
  date: string;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** A small deterministic PRNG (mulberry32): the same parameters on every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runQueryBench(o: QueryBenchOptions): Promise<QueryFigures> {
  const name = o.database ?? `bronze_qbench_${o.rows}`;
  const admin = new pg.Client({ connectionString: o.url });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(o.url);
  u.pathname = `/${name}`;
  const url = u.toString();
  const months = monthsFrom('2021-01-01', o.months);
  const figures: Partial<QueryFigures> = { rows: 0, months: o.months, clients: o.clients };

  const db = await openDatabase({ url });
  try {
    await db.withSession(async (s) => {
      await migrate(s);
      const [{ done }] = await s.query<{ done: boolean }>(`SELECT obj_description('bronze_toggl'::regclass, 'pg_class') = 'loaded' AS done`).catch(() => [{ done: false }]);
      if (done) {
        o.log(`database ${name} already holds the data: loading skipped`);
        return;
      }
      // A load that did not finish: start again.
      for (const source of SOURCES) await s.query(`DROP TABLE IF EXISTS bronze_${source}, bronze_${source}_latest CASCADE`);
      o.log(`loading ~${o.rows.toLocaleString('en-US')} rows over ${o.months} months into ${name} (${SOURCES.join(', ')})`);
      const started = performance.now();
      let rows = 0;
      for (const source of SOURCES) {
        await ensureSourceTable(s, source);
        for (const month of months) rows += await loadMonth(s, source, month, o.rows, o.months);
        o.log(`  ${source}: ${rows.toLocaleString('en-US')} rows so far, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
      for (const source of SOURCES) await s.query(`VACUUM (ANALYZE) bronze_${source}`);
      await s.query(`COMMENT ON TABLE bronze_toggl IS 'loaded'`);
      for (const source of SOURCES) await s.query(`ANALYZE bronze_${source}_latest`);
      figures.load_seconds = (performance.now() - started) / 1000;
      figures.load_rows_per_s = rows / figures.load_seconds;
      o.log(`  loaded in ${figures.load_seconds.toFixed(0)} s (${Math.round(figures.load_rows_per_s).toLocaleString('en-US')} rows/s, VACUUM ANALYZE included)`);
    });
    await db.withSession(async (s) => {
      const [r] = await s.query<{ rows: string; bytes: string; version: string }>(
        `SELECT (SELECT sum(reltuples)::bigint FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
                  WHERE i.inhparent::regclass::text = ANY ($1)) AS rows,
                (SELECT sum(pg_total_relation_size(i.inhrelid)) FROM pg_inherits i WHERE i.inhparent::regclass::text = ANY ($1)) AS bytes,
                current_setting('server_version') AS version`,
        [SOURCES.map((x) => `bronze_${x}`)],
      );
      figures.rows = Number(r.rows);
      figures.table_bytes = Number(r.bytes);
      figures.postgres_version = r.version;
    });
  } finally {
    await db.close();
  }

  const ctx: QueryContext = await (async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const { rows } = await c.query<{ last: Date }>('SELECT max(ingested_at) AS last FROM bronze_apple_health');
    await c.end();
    const monthRows = Math.round((o.rows * STREAMS.find((x) => x.stream === 'records')!.share) / o.months);
    return { months, lastIngested: rows[0].last, monthRows };
  })();

  const clients = await Promise.all(Array.from({ length: o.clients }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return c;
  }));
  const results: QueryFigures['queries'] = {};
  try {
    for (const q of QUERIES) {
      const times: number[] = [];
      await Promise.all(clients.map(async (c, k) => {
        const rand = random(1000 * k + q.name.length);
        for (let i = 0; i < o.iterations; i++) {
          const started = performance.now();
          await c.query(q.sql, q.params(rand, ctx));
          times.push(performance.now() - started);
        }
      }));
      times.sort((a, b) => a - b);
      results[q.name] = {
        what: q.what, samples: times.length,
        p50_ms: percentile(times, 50), p95_ms: percentile(times, 95), p99_ms: percentile(times, 99), max_ms: times[times.length - 1],
      };
      o.log(`  ${q.name}: p50 ${results[q.name].p50_ms.toFixed(0)} ms, p95 ${results[q.name].p95_ms.toFixed(0)} ms, p99 ${results[q.name].p99_ms.toFixed(0)} ms`);
    }
    const slowest = QUERIES.reduce((a, b) => (results[b.name].p95_ms > results[a.name].p95_ms ? b : a));
    const { rows } = await clients[0].query(`EXPLAIN (ANALYZE, BUFFERS) ${slowest.sql}`, slowest.params(random(7), ctx));
    figures.slowest = slowest.name;
    figures.slowest_explain = rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return { ...(figures as QueryFigures), queries: results, date: new Date().toISOString() };
}

export function formatQueryReport(f: QueryFigures): string {
  const lines = [
    `PostgreSQL ${f.postgres_version}; ${f.rows.toLocaleString('en-US')} rows over ${f.months} months (${(f.table_bytes / 2 ** 30).toFixed(1)} GiB with indexes); ${f.clients} concurrent clients`,
    f.load_rows_per_s ? `load: ${f.load_seconds!.toFixed(0)} s, ${Math.round(f.load_rows_per_s).toLocaleString('en-US')} rows/s (generated server-side, indexes built on attach, VACUUM ANALYZE)` : 'load: reused an existing database',
    '',
    '| query | samples | p50 ms | p95 ms | p99 ms |',
    '|---|---|---|---|---|',
    ...Object.entries(f.queries).map(([k, v]) => `| ${k}: ${v.what} | ${v.samples} | ${v.p50_ms.toFixed(0)} | ${v.p95_ms.toFixed(0)} | ${v.p99_ms.toFixed(0)} |`),
    '',
    `EXPLAIN (ANALYZE, BUFFERS) of the slowest (${f.slowest}):`,
    f.slowest_explain,
  ];
  return lines.join('\n');
}
