import type { Session } from '../db/session.js';

/** bronze_state: one cursor per (source, stream), written in the transaction of the batch it follows. */

/** The source's cursors by stream. */
export async function readState(session: Session, source: string): Promise<Map<string, unknown>> {
  const rows = await session.query<{ stream: string; cursor: unknown }>('SELECT stream, cursor FROM bronze_state WHERE source = $1', [source]);
  return new Map(rows.map((r) => [r.stream, r.cursor]));
}

/** Stores a stream's cursor (JSON), replacing the previous one. */
export async function writeCursor(session: Session, source: string, stream: string, cursor: unknown, runId: string): Promise<void> {
  await session.query(
    `INSERT INTO bronze_state (source, stream, cursor, updated_at, run_id) VALUES ($1, $2, $3::jsonb, now(), $4)
     ON CONFLICT (source, stream) DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now(), run_id = EXCLUDED.run_id`,
    [source, stream, JSON.stringify(cursor), runId],
  );
}
