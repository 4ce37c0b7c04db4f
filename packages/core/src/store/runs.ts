import { hostname } from 'node:os';
import type { Session } from '../db/session.js';
import { SourceLockedError } from '../errors.js';
import type { BronzeDatabase } from '../db/database.js';
import type { BatchCounts } from '../loader/batch-counts.js';
import { redact } from '../secrets.js';

const lockKey = (source: string) => `bronze_source:${source}`;

/**
 * Takes the source's session-level advisory lock without waiting. Another run of the
 * same source, on any machine using this database, makes this fail with exit code 75.
 */
export async function acquireSourceLock(session: Session, source: string): Promise<void> {
  const [{ locked }] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [lockKey(source)]);
  if (!locked) {
    const [holder] = await session.query<{ id: string; started_at: Date; host: string | null; pid: number | null }>(
      `SELECT id, started_at, host, pid FROM bronze_runs WHERE source = $1 AND status = 'running' ORDER BY started_at DESC LIMIT 1`,
      [source],
    );
    const who = holder ? ` (run ${holder.id}, pid ${holder.pid ?? '?'} on ${holder.host ?? '?'}, started ${new Date(holder.started_at).toISOString()})` : '';
    throw new SourceLockedError(`another run of source '${source}' is in progress${who}; try again when it has finished`);
  }
}

export async function releaseSourceLock(session: Session, source: string): Promise<void> {
  await session.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey(source)]);
}

/** Runs left 'running' by a process that died: we hold the lock, so none of them is alive. */
export async function markAbandonedRuns(session: Session, source: string): Promise<number> {
  const rows = await session.query(
    `UPDATE bronze_runs SET status = 'abandoned', finished_at = now(),
        error = coalesce(error, 'the process ended without finishing (crash or kill); its committed batches are kept')
      WHERE source = $1 AND status = 'running' RETURNING id`,
    [source],
  );
  await session.query(
    `UPDATE bronze_files SET status = 'interrupted', error = coalesce(error, 'the process ended mid-import (crash or kill); the next run reads the file again')
      WHERE source = $1 AND status = 'importing'`,
    [source],
  );
  return rows.length;
}

export interface StartRunArgs {
  source: string;
  streams: string[];
  parametersJson: string;
  pipelineVersion: string;
  environment: string;
}

export async function startRun(session: Session, a: StartRunArgs): Promise<string> {
  const [{ id }] = await session.query<{ id: string }>(
    `INSERT INTO bronze_runs (source, streams, parameters, pipeline_version, environment, host, pid)
     VALUES ($1, $2::text[], $3::jsonb, $4, $5, $6, $7) RETURNING id`,
    [a.source, a.streams, a.parametersJson, a.pipelineVersion, a.environment, hostname(), process.pid],
  );
  return id;
}

export interface RunOutcome {
  status: 'succeeded' | 'failed';
  files: { imported: number; skipped: number; failed: number };
  error?: string;
  /** The source's notes (ctx.note): a quota stop, progress, a choice it made. */
  notes: readonly string[];
}

/**
 * Records how the run ended. Notes are redacted here too, not only where ctx.note collects
 * them: what is stored in bronze_runs is read by anyone with the database.
 */
export async function finishRun(session: Session, runId: string, o: RunOutcome): Promise<void> {
  await session.query(
    `UPDATE bronze_runs SET status = $2, finished_at = now(), error = $3,
        files_imported = $4, files_skipped = $5, files_failed = $6, notes = $7::text[] WHERE id = $1`,
    [runId, o.status, o.error ?? null, o.files.imported, o.files.skipped, o.files.failed, o.notes.map(redact)],
  );
}

/**
 * Marks a run failed when its own session may be what broke. A terminated server closes every
 * connection at once, and the pool can hand out an idle one whose end it has not yet heard of:
 * each attempt takes a fresh connection (a broken one is not returned to the pool), after a
 * pause that lets the pool hear of the others. Left 'running', the run would be reported
 * 'abandoned' by the next one, which is not what happened.
 */
export async function finishFailedRun(
  session: Session, db: Pick<BronzeDatabase, 'withSession'>, runId: string, o: RunOutcome, attempts = 5,
): Promise<boolean> {
  const mark = (s: Session) => finishRun(s, runId, o);
  try {
    await mark(session);
    return true;
  } catch {
    for (let i = 1; i <= attempts; i++) {
      await new Promise((r) => setTimeout(r, 50 * i));
      try {
        await db.withSession(mark);
        return true;
      } catch {
        // the next attempt opens another connection
      }
    }
    return false;
  }
}

/** Adds a batch's counts to its run, in the batch's transaction; also the run's heartbeat. */
export async function addRunCounts(session: Session, runId: string, c: BatchCounts): Promise<void> {
  await session.query(
    `UPDATE bronze_runs SET records_seen = records_seen + $2, records_inserted = records_inserted + $3,
       records_unchanged = records_unchanged + $4, records_new_version = records_new_version + $5,
       records_invalid = records_invalid + $6, records_warning = records_warning + $7, heartbeat_at = now()
     WHERE id = $1`,
    [runId, c.seen, c.inserted, c.unchanged, c.newVersion, c.invalid, c.warning],
  );
}

/** When the source's last run of any kind started (the scheduler's missed-run check); null if never. */
export async function lastRunStartedAt(session: Session, source: string): Promise<Date | null> {
  const [last] = await session.query<{ started_at: Date }>('SELECT started_at FROM bronze_runs WHERE source = $1 ORDER BY started_at DESC LIMIT 1', [source]);
  return last ? new Date(last.started_at) : null;
}

/** One row of `bronze runs`: counts are numbers (bigint columns come back from pg as text). */
export interface RunListing {
  id: string;
  source: string;
  action: 'ingest' | 'prune';
  status: 'running' | 'succeeded' | 'failed' | 'abandoned';
  started_at: Date;
  finished_at: Date | null;
  records_seen: number;
  records_inserted: number;
  records_new_version: number;
  records_unchanged: number;
  records_invalid: number;
  error: string | null;
  /** The source's notes about the run (empty for runs before sql/008_run_notes.sql). */
  notes: string[];
}

const RUN_COUNTS = ['records_seen', 'records_inserted', 'records_new_version', 'records_unchanged', 'records_invalid'] as const;

/** The newest runs first, optionally of one source (its stored name, `apple_health`). */
export async function listRuns(db: BronzeDatabase, o: { source?: string; limit: number }): Promise<RunListing[]> {
  let q = db.kysely
    .selectFrom('bronze_runs')
    .select(['id', 'source', 'action', 'status', 'started_at', 'finished_at', ...RUN_COUNTS, 'error', 'notes'])
    .orderBy('started_at', 'desc')
    .limit(o.limit);
  if (o.source) q = q.where('source', '=', o.source);
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    started_at: new Date(r.started_at),
    finished_at: r.finished_at === null ? null : new Date(r.finished_at),
    ...Object.fromEntries(RUN_COUNTS.map((k) => [k, Number(r[k])])),
  })) as RunListing[];
}
