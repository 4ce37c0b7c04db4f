import type { BronzeDatabase } from '@bronze/core';
import { sources } from '../sources.js';

export interface RunFacts {
  source: string;
  last_run_status: string | null;
  last_run_at: Date | null;
  last_success_at: Date | null;
}

export interface StreamCount {
  source: string;
  stream: string;
  rows: number;
  invalid: number;
  last_ingested_at: Date | null;
}

const toDate = (v: unknown) => (v == null ? null : new Date(v as string));

/**
 * What /health reads on every request: the last run and last success per source, from the
 * small bronze_runs table through its (source, started_at) index, on the probe connection.
 * No row counts here: those cost a scan per table (StreamCounts).
 */
export async function readRunFacts(db: BronzeDatabase): Promise<RunFacts[]> {
  const [{ ready }] = await db.probe<{ ready: boolean }>(`SELECT to_regclass('bronze_runs') IS NOT NULL AS ready`);
  const names = Object.values(sources).map((s) => s.name);
  if (!ready) return names.map((source) => ({ source, last_run_status: null, last_run_at: null, last_success_at: null }));
  const rows = await db.probe<{ source: string; status: string | null; started_at: unknown; finished_at: unknown }>(
    `SELECT s.source, l.status, l.started_at, ok.finished_at
       FROM unnest($1::text[]) AS s(source)
       LEFT JOIN LATERAL (SELECT status, started_at FROM bronze_runs r WHERE r.source = s.source ORDER BY started_at DESC LIMIT 1) l ON true
       LEFT JOIN LATERAL (SELECT finished_at FROM bronze_runs r WHERE r.source = s.source AND status = 'succeeded'
                          ORDER BY started_at DESC LIMIT 1) ok ON true`,
    [names],
  );
  return rows.map((r) => ({ source: r.source, last_run_status: r.status, last_run_at: toDate(r.started_at), last_success_at: toDate(r.finished_at) }));
}

/**
 * Rows per source and stream, counted exactly but off the request path: at start, after
 * each run, and in the background when older than maxAgeMs. /health shows the last counts
 * with the time they were taken, so an 8M-row table never makes a health check slow.
 */
export class StreamCounts {
  private counts: StreamCount[] = [];
  countedAt: Date | null = null;
  private pending: Promise<void> | undefined;

  constructor(private readonly maxAgeMs = 5 * 60_000) {}

  current(): StreamCount[] {
    return this.counts;
  }

  /** Starts a recount unless one is going; resolves when it is done (never rejects). */
  refresh(db: BronzeDatabase): Promise<void> {
    this.pending ??= this.count(db)
      .then((counts) => {
        this.counts = counts;
        this.countedAt = new Date();
      })
      .catch(() => undefined)
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** A recount in the background when the counts are older than maxAgeMs. */
  refreshIfOld(db: BronzeDatabase): void {
    if (!this.countedAt || Date.now() - this.countedAt.getTime() > this.maxAgeMs) void this.refresh(db);
  }

  private count(db: BronzeDatabase): Promise<StreamCount[]> {
    return db.withSession(async (s) => {
      const out: StreamCount[] = [];
      for (const source of Object.values(sources)) {
        const [exists] = await s.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`bronze_${source.name}`]);
        if (!exists?.t) continue;
        // The source name is checked by defineSource ([a-z][a-z0-9_]*), so it is safe in an identifier.
        const rows = await s.query<{ stream: string; rows: number; invalid: number; last: unknown }>(
          `SELECT stream, count(*)::int AS rows, (count(*) FILTER (WHERE validation_status = 'invalid'))::int AS invalid,
                  max(ingested_at) AS last FROM bronze_${source.name} GROUP BY stream ORDER BY stream`);
        for (const r of rows) out.push({ source: source.name, stream: r.stream, rows: r.rows, invalid: r.invalid, last_ingested_at: toDate(r.last) });
      }
      return out;
    });
  }
}
