import { countStreamRows, probeSourceRuns, type BronzeDatabase } from '@bronze/core';
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

/**
 * What /health reads on every request: the last run and last success per source, from the
 * small bronze_runs table through its (source, started_at) index, on the probe connection.
 * No row counts here: those cost a scan per table (StreamCounts).
 */
export async function readRunFacts(db: BronzeDatabase): Promise<RunFacts[]> {
  const runs = await probeSourceRuns(db, Object.values(sources).map((s) => s.name));
  return runs.map((r) => ({ source: r.source, last_run_status: r.lastRunStatus, last_run_at: r.lastRunAt, last_success_at: r.lastSuccessAt }));
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
        for (const r of await countStreamRows(s, source.name)) {
          out.push({ source: source.name, stream: r.stream, rows: r.rows, invalid: r.invalid, last_ingested_at: r.lastIngestedAt });
        }
      }
      return out;
    });
  }
}
