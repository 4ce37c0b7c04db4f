import { countRunRows, type BronzeDatabase, type IngestResult } from '@bronze/core';
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
  const rows = await db.withSession((s) => countRunRows(s, r.source, r.runId!));
  for (const row of rows) metrics.recordsIngested.inc({ source: name, stream: row.stream, validation_status: row.validationStatus }, row.rows);
}
