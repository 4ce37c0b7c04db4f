import type { Session } from '../db/session.js';
import { BatchLoader, emptyCounts, type Batch, type BatchCounts } from '../loader/load-batch.js';
import { OccurrenceNumbering } from '../loader/occurrences.js';
import { ProblemExamples } from '../loader/problem-examples.js';

/** True when the table exists (a dry run never creates one). */
export async function tableExists(session: Session, table: string): Promise<boolean> {
  const [row] = await session.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
  return Boolean(row?.t);
}

/**
 * The loader of a dry run: classifies each batch against what is stored (new, new version,
 * unchanged) and writes nothing. Ids repeated inside one file are numbered as an import
 * numbers them (`X#2`…), in memory rather than in a temporary table: until 2026-12-01 a dry run
 * counted the 2nd of two equal bookings as "already stored".
 */
export class PreviewLoader {
  private readonly loader: BatchLoader | undefined;
  private readonly occurrences = new OccurrenceNumbering('memory');
  /** Rows of files are numbered, as an import numbers them; an API stream's are not. */
  private files = false;
  private readonly own = new ProblemExamples();

  /** With no session, or no table for the source yet, every record is new. */
  constructor(session: Session | undefined, source: string, hasTable: boolean) {
    const constants = { source, runId: 'dry-run', environment: '', pipelineVersion: '', parametersJson: '{}', lineageType: 'file' as const };
    this.loader = session && hasTable ? new BatchLoader(session, constants) : undefined;
  }

  /** Called before each file: its ids are numbered anew. */
  async startFile(): Promise<void> {
    this.files = true;
    await this.occurrences.startFile();
  }

  async load(batch: Batch): Promise<BatchCounts> {
    const counts = emptyCounts();
    counts.seen = batch.rows.length;
    if (this.loader) {
      if (this.files) await this.occurrences.number(undefined, batch.rows);
      for (const w of await this.loader.decide(batch.rows, counts)) this.own.note(w.row);
      return counts;
    }
    counts.inserted = batch.rows.length;
    for (const r of batch.rows) {
      if (r.status === 'invalid') counts.invalid++;
      else if (r.status === 'warning') counts.warning++;
      this.own.note(r);
    }
    return counts;
  }

  async finishBulk(): Promise<void> {}

  /** The first invalid and warning records the run would store. */
  get problems(): ProblemExamples {
    return this.own;
  }
}
