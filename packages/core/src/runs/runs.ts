import { hostname } from 'node:os';
import type { Session } from '../db/session.js';
import { SourceLockedError } from '../errors.js';
import type { BatchCounts } from '../loader/load-batch.js';

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

export async function finishRun(
  session: Session,
  runId: string,
  status: 'succeeded' | 'failed',
  files: { imported: number; skipped: number; failed: number },
  error?: string,
): Promise<void> {
  await session.query(
    `UPDATE bronze_runs SET status = $2, finished_at = now(), error = $3,
        files_imported = $4, files_skipped = $5, files_failed = $6 WHERE id = $1`,
    [runId, status, error ?? null, files.imported, files.skipped, files.failed],
  );
}

export async function readState(session: Session, source: string): Promise<Map<string, unknown>> {
  const rows = await session.query<{ stream: string; cursor: unknown }>('SELECT stream, cursor FROM bronze_state WHERE source = $1', [source]);
  return new Map(rows.map((r) => [r.stream, r.cursor]));
}
