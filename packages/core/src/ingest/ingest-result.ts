import type { BatchCounts } from '../loader/load-batch.js';

/** What one run did: the counts, the files, the errors and the notes for the summary line. */
export interface IngestResult extends BatchCounts {
  runId?: string;
  source: string;
  status: 'succeeded' | 'failed';
  files: { imported: number; skipped: number; failed: number };
  errors: string[];
  seconds: number;
  /** What the source noted for the user (ctx.note), shown in the summary line. */
  notes: string[];
}
