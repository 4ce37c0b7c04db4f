import type { BatchCounts } from '../loader/load-batch.js';

/** What one run did: the counts, the files, the errors and the notes for the summary line. */
export interface IngestResult extends BatchCounts {
  runId?: string;
  source: string;
  status: 'succeeded' | 'failed';
  /** Files: imported, skipped (already imported), failed; and those no stream recognised (stored, with a warning). */
  files: { imported: number; skipped: number; failed: number; unrecognised: { path: string; stream: string }[] };
  errors: string[];
  seconds: number;
  /** What the source noted for the user (ctx.note), shown in the summary line. */
  notes: string[];
  /** The first invalid and warning records, named with their message (problem-examples.ts). */
  problems?: string[];
}
