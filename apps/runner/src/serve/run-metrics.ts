import type { BronzeDatabase, IngestResult } from '@bronze/core';
import type { Metrics } from './metrics.js';

const COUNTS = [
  ['seen', 'seen'],
  ['inserted', 'inserted'],
  ['newVersion', 'new_version'],
  ['unchanged', 'unchanged'],
  ['invalid', 'invalid'],
  ['warning', 'warning'],
] as const;

/** After a run: its counters, and the rows it wrote per stream and validation status. */
export async function recordRunMetrics(db: BronzeDatabase, metrics: Metrics, name: string, r: IngestResult): Promise<void> {
  for (const [key, outcome] of COUNTS) if (r[key]) metrics.recordsSeen.inc({ source: name, outcome }, r[key]);
  if (r.status === 'succeeded') metrics.lastSuccess.set({ source: name }, Date.now() / 1000);
  if (!r.runId) return;
  // The source name is checked by defineSource ([a-z][a-z0-9_]*), so it is safe in an identifier.
  const rows = await db.withSession((s) =>
    s.query<{ stream: string; validation_status: string; n: number }>(
      `SELECT stream, validation_status, count(*)::int AS n FROM bronze_${r.source} WHERE pipeline_run_id = $1 GROUP BY 1, 2`,
      [r.runId],
    ),
  );
  for (const row of rows) metrics.recordsIngested.inc({ source: name, stream: row.stream, validation_status: row.validation_status }, row.n);
}
