import type { Batch, BatchCounts } from '../loader/load-batch.js';
import { addCounts, emptyCounts } from '../loader/load-batch.js';
import type { BronzeRow } from '../envelope/envelope.js';
import { CopyBodies } from '../loader/copy-body.js';
import type { IndexingListener } from './progress.js';

export const DEFAULT_BATCH_ROWS = 5000;

/** Where batches go: the BatchLoader of a run, or a dry run's PreviewLoader. */
export interface RowSink {
  load(batch: Batch): Promise<BatchCounts>;
  /** Work on the batch that may start before the batch in flight is done (its id counts). */
  prepare?(batch: Batch): void;
  /** Makes the months loaded without indexes indexed partitions; `onIndexing` hears each one done. */
  finishBulk(onIndexing?: IndexingListener): Promise<void>;
  /** The sink writes rows with COPY: the batcher may hold them as COPY bytes (copy-body.ts). */
  readonly copiesRows?: boolean;
}
/**
 * A batch also ends at this many characters of raw JSON. A batch of 5,000 ordinary records
 * holds ~2.5 MB (Apple Health), so the bound matters only where records are large (heart-rate
 * series, routes). There, with a bound of 16 MB, the two batches alive took a 1M-record
 * import's peak RSS to 146–156 MB; with 4 MB it stays at 130–132 MB, in the same time within
 * the machine's noise (docs/benchmark-history.md, 2026-11-30).
 */
export const MAX_BATCH_JSON_CHARS = 4 << 20;

/**
 * Collects rows into batches and keeps one batch loading while the next is read, so
 * parsing and hashing overlap the database's work. A failed load surfaces at the next
 * add() or at finish(): nothing after a failed batch is committed.
 */
export class Batcher {
  private rows: BronzeRow[] = [];
  private chars = 0;
  private state?: Map<string, unknown>;
  private inflight?: Promise<void>;
  private startedAt = new Date();
  private readonly bodies?: CopyBodies;
  totals: BatchCounts = emptyCounts();

  constructor(
    private readonly loader: RowSink | undefined,
    private readonly maxRows = DEFAULT_BATCH_ROWS,
    private readonly fileImportId?: string,
    private readonly onCommitted?: (c: BatchCounts) => void,
  ) {
    if (loader?.copiesRows) this.bodies = new CopyBodies();
  }

  async add(row: BronzeRow): Promise<void> {
    if (this.rows.length === 0) this.startedAt = new Date();
    // A reader that never waits (parsing from memory) would starve the batch in flight of
    // its database replies, and PGlite answers without I/O: with both, timers (progress)
    // and signals (Ctrl-C) would wait for the end of the file. Give the event loop a turn
    // at the start of every batch and every 256 rows.
    if ((this.rows.length & 255) === 0) await new Promise<void>((r) => setImmediate(r));
    if (row.rawJson === null) throw new Error(`${row.stream} ${row.rawId}: a row was added to a batch twice`);
    this.chars += row.rawJson.length;
    this.bodies?.hold(row);
    this.rows.push(row);
    if (this.rows.length >= this.maxRows || this.chars >= MAX_BATCH_JSON_CHARS) await this.flush();
  }

  /** A cursor with no row: committed with the next batch, or alone at finish(). */
  checkpoint(stream: string, cursor: unknown): void {
    (this.state ??= new Map()).set(stream, cursor);
  }

  /** Hands the collected rows to the loader; waits for the previous batch first. */
  async flush(): Promise<void> {
    if (this.rows.length === 0 && !this.state) return;
    const batch: Batch = { rows: this.rows, state: this.state, fileImportId: this.fileImportId, startedAt: this.startedAt };
    this.rows = [];
    this.chars = 0;
    this.state = undefined;
    this.loader?.prepare?.(batch);
    await this.inflight;
    if (!this.loader) {
      const counts = { ...emptyCounts(), seen: batch.rows.length, invalid: batch.rows.filter((r) => r.status === 'invalid').length, warning: batch.rows.filter((r) => r.status === 'warning').length };
      this.totals = addCounts(this.totals, counts);
      this.onCommitted?.(counts);
      return;
    }
    const chunks = this.bodies?.takeChunks();
    const p = this.loader.load(batch).then((counts) => {
      this.totals = addCounts(this.totals, counts);
      this.onCommitted?.(counts);
      if (chunks) {
        // The chunks are written over by later rows: no row of this batch may point into them.
        for (const r of batch.rows) r.copyBody = undefined;
        this.bodies!.release(chunks);
      }
    });
    p.catch(() => undefined);
    this.inflight = p;
  }

  async finish(onIndexing?: IndexingListener): Promise<BatchCounts> {
    await this.flush();
    await this.inflight;
    await this.loader?.finishBulk(onIndexing);
    return this.totals;
  }

  /** After a reader error: commit what was read before it, then report. */
  async salvage(onIndexing?: IndexingListener): Promise<BatchCounts> {
    return this.finish(onIndexing);
  }
}
