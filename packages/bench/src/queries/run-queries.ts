/**
 * `pnpm bench --queries`: loads generated bronze data (default 10M rows over 60 months,
 * three sources, five streams) into the real schema on PostgreSQL, then runs each
 * silver-layer query with 10 concurrent clients and reports p50/p95/p99, with
 * EXPLAIN (ANALYZE, BUFFERS) of the slowest.
 */
import pg from 'pg';
import {
  consumedOnServer, createServerDatabase, databaseUrl, dropGeneratedTables, ensureSourceTable, explainAnalyze, finishGeneratedLoad, generatedDataLoaded,
  generatedTableFacts, GENERATED_SOURCES, GENERATED_STREAMS, lastIngestedAt, loadGeneratedMonth, migrate, openDatabase, parallelWorkersPerGather, resultColumns, serverVersion, turnOffParallelPlans,
} from '@bronze/core';
import { benchQueries, type QueryContext } from './queries.js';
import { QUERY_MONTHS } from '../args.js';

export interface QueryBenchOptions {
  url: string;
  rows: number;
  months: number;
  clients: number;
  iterations: number;
  /** Reuse this database when it already holds the data (before/after index changes). */
  database?: string;
  /** Each client sets max_parallel_workers_per_gather = 0: no parallel plans. */
  serial?: boolean;
  log: (m: string) => void;
}

export interface QueryFigures {
  rows: number;
  months: number;
  load_seconds?: number;
  load_rows_per_s?: number;
  table_bytes: number;
  clients: number;
  /** The clients' max_parallel_workers_per_gather: 0 with --serial, else the server's. */
  parallel_workers_per_gather: number;
  queries: Record<string, { what: string; samples: number; p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number }>;
  slowest: string;
  slowest_explain: string;
  postgres_version: string;
  date: string;
}

/** `count` first days of months from `first` on (`YYYY-MM-01`). */
function monthsFrom(first: string, count: number): string[] {
  const start = new Date(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, k) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + k, 1)).toISOString().slice(0, 10));
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

/**
 * The database the query data is kept in. Data of another span is another database, since a
 * database that already holds data is reused as it is; five years keep their earlier name.
 */
export function queryDatabaseName(rows: number, months: number): string {
  return months === QUERY_MONTHS ? `bronze_qbench_${rows}` : `bronze_qbench_${rows}_${months}m`;
}

export async function runQueryBench(o: QueryBenchOptions): Promise<QueryFigures> {
  const name = o.database ?? queryDatabaseName(o.rows, o.months);
  await createServerDatabase(o.url, name, { ifMissing: true, what: 'DATABASE_URL' });
  const url = databaseUrl(o.url, name);
  const months = monthsFrom('2021-01-01', o.months);
  const figures: Partial<QueryFigures> = { rows: 0, months: o.months, clients: o.clients };

  let ctx: QueryContext | undefined;
  const db = await openDatabase({ url });
  try {
    await db.withSession(async (s) => {
      await migrate(s);
      if (await generatedDataLoaded(s)) {
        o.log(`database ${name} already holds the data: loading skipped`);
        return;
      }
      // A load that did not finish: start again.
      await dropGeneratedTables(s);
      o.log(`loading ~${o.rows.toLocaleString('en-US')} rows over ${o.months} months into ${name} (${GENERATED_SOURCES.join(', ')})`);
      const started = performance.now();
      let rows = 0;
      for (const source of GENERATED_SOURCES) {
        await ensureSourceTable(s, source);
        for (const month of months) rows += await loadGeneratedMonth(s, source, month, o.rows, o.months);
        o.log(`  ${source}: ${rows.toLocaleString('en-US')} rows so far, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
      await finishGeneratedLoad(s);
      figures.load_seconds = (performance.now() - started) / 1000;
      figures.load_rows_per_s = rows / figures.load_seconds;
      o.log(`  loaded in ${figures.load_seconds.toFixed(0)} s (${Math.round(figures.load_rows_per_s).toLocaleString('en-US')} rows/s, VACUUM ANALYZE included)`);
    });
    await db.withSession(async (s) => {
      const facts = await generatedTableFacts(s);
      figures.rows = facts.rows;
      figures.table_bytes = facts.bytes;
      figures.postgres_version = await serverVersion(s);
    });
    const last = await db.withSession((s) => lastIngestedAt(s, 'apple_health'));
    const monthRows = Math.round((o.rows * GENERATED_STREAMS.find((x) => x.stream === 'records')!.share) / o.months);
    ctx = { months, lastIngested: last ?? new Date(), monthRows };
  } finally {
    await db.close();
  }

  const clients = await Promise.all(Array.from({ length: o.clients }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    // Parallel plans speed up a lone query and slow a crowd: ten clients, each with two
    // workers, on two cores (sql/README.md).
    if (o.serial) await turnOffParallelPlans(c);
    return c;
  }));
  figures.parallel_workers_per_gather = await parallelWorkersPerGather(clients[0]);
  const results: QueryFigures['queries'] = {};
  const queries = benchQueries();
  const consumedSql = new Map<string, string>();
  try {
    for (const q of queries) {
      const consumed = consumedOnServer(q.sql, await resultColumns(clients[0], q.sql, q.params(random(0), ctx!)));
      consumedSql.set(q.name, consumed);
      const times: number[] = [];
      await Promise.all(clients.map(async (c, k) => {
        const rand = random(1000 * k + q.name.length);
        for (let i = 0; i < o.iterations; i++) {
          const started = performance.now();
          await c.query(consumed, q.params(rand, ctx!));
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
    const slowest = queries.reduce((a, b) => (results[b.name].p95_ms > results[a.name].p95_ms ? b : a));
    figures.slowest = slowest.name;
    figures.slowest_explain = await explainAnalyze(clients[0], consumedSql.get(slowest.name)!, slowest.params(random(7), ctx!));
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  return { ...(figures as QueryFigures), queries: results, date: new Date().toISOString() };
}

export function formatQueryReport(f: QueryFigures): string {
  const lines = [
    `PostgreSQL ${f.postgres_version}; ${f.rows.toLocaleString('en-US')} rows over ${f.months} months (${(f.table_bytes / 2 ** 30).toFixed(1)} GiB with indexes); ${f.clients} concurrent clients, max_parallel_workers_per_gather = ${f.parallel_workers_per_gather}`,
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
