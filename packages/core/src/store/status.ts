import type { BronzeDatabase } from '../db/database.js';
import type { Session } from '../db/session.js';

/** What `bronze status` and /health say about each source's runs (bronze_runs, through its (source, started_at) index). */

export interface SourceRuns {
  source: string;
  /** The last run's status and start; null when the source never ran. */
  lastRunStatus: string | null;
  lastRunAt: Date | null;
  /** When the last succeeded run finished; null when none did. */
  lastSuccessAt: Date | null;
}

const toDate = (v: unknown) => (v == null ? null : new Date(v as string));

/** The last ingestion of the source and its last successful one (`bronze status`). */
export async function readIngestRuns(session: Session, source: string): Promise<SourceRuns> {
  const [last] = await session.query<{ status: string; started_at: Date }>(
    `SELECT status, started_at FROM bronze_runs WHERE source = $1 AND action = 'ingest' ORDER BY started_at DESC LIMIT 1`, [source]);
  const [ok] = await session.query<{ finished_at: Date }>(
    `SELECT finished_at FROM bronze_runs WHERE source = $1 AND action = 'ingest' AND status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`, [source]);
  return { source, lastRunStatus: last?.status ?? null, lastRunAt: toDate(last?.started_at), lastSuccessAt: toDate(ok?.finished_at) };
}

/**
 * The same facts for many sources in one query on the probe connection (/health, on every
 * request: it must not wait for a run holding the pooled connections). Runs of any action
 * count, as /health has always reported them; before the first migration every source is "never ran".
 */
export async function probeSourceRuns(db: Pick<BronzeDatabase, 'probe'>, sources: string[]): Promise<SourceRuns[]> {
  const [{ ready }] = await db.probe<{ ready: boolean }>(`SELECT to_regclass('bronze_runs') IS NOT NULL AS ready`);
  if (!ready) return sources.map((source) => ({ source, lastRunStatus: null, lastRunAt: null, lastSuccessAt: null }));
  const rows = await db.probe<{ source: string; status: string | null; started_at: unknown; finished_at: unknown }>(
    `SELECT s.source, l.status, l.started_at, ok.finished_at
       FROM unnest($1::text[]) AS s(source)
       LEFT JOIN LATERAL (SELECT status, started_at FROM bronze_runs r WHERE r.source = s.source ORDER BY started_at DESC LIMIT 1) l ON true
       LEFT JOIN LATERAL (SELECT finished_at FROM bronze_runs r WHERE r.source = s.source AND status = 'succeeded'
                          ORDER BY started_at DESC LIMIT 1) ok ON true`,
    [sources],
  );
  return rows.map((r) => ({ source: r.source, lastRunStatus: r.status, lastRunAt: toDate(r.started_at), lastSuccessAt: toDate(r.finished_at) }));
}
