import type { Session } from '../db/session.js';
import type { BronzeRow } from '../envelope/envelope.js';
import { BulkMonths, type SpareSession } from './bulk-month.js';
import { writeRows, type RowToWrite, type RunConstants } from './write-rows.js';
import { emptyCounts, type BatchCounts } from './batch-counts.js';
import { writeLatest } from './write-latest.js';
import { decideRows } from './decide.js';
import { MEMORY_COUNTED_IDS, OccurrenceNumbering, type CountedIds } from './occurrences.js';
import { COUNT_TABLE } from './count-table.js';
import { leaseSession, type LeasedSession } from './leased-session.js';
import { addRunCounts } from '../store/runs.js';
import { writeCursor } from '../store/state.js';
import { addFileRecords } from '../store/files.js';
import { ProblemExamples } from './problem-examples.js';
import type { IndexingListener } from '../ingest/progress.js';

export type { RunConstants } from './write-rows.js';
export { addCounts, emptyCounts, type BatchCounts } from './batch-counts.js';

export interface Batch {
  rows: BronzeRow[];
  /** Cursor per stream after the last record of this batch. */
  state?: Map<string, unknown>;
  /**
   * When the batch came from a file: its bronze_files row (to count its records), and ids
   * repeated inside the file are numbered (X, X#2, X#3…; see OccurrenceNumbering).
   */
  fileImportId?: string;
  startedAt: Date;
  /** Its ids counted ahead, while the batch before it loads (BatchLoader.prepare). */
  counted?: Promise<CountedIds>;
}

/** The loader of one source's table on one session (which holds the source's lock). */
export class BatchLoader {
  readonly table: string;
  readonly latest: string;
  private readonly months: BulkMonths;
  /** Counts ids within the file being imported; importFiles resets it per file. */
  readonly occurrences: OccurrenceNumbering;
  /** The count table's own connection, leased on its first use in a file (see prepare). */
  private countLease?: Promise<LeasedSession>;
  /** How many batches were counted ahead (tests, and a figure for the benchmark's notes). */
  batchesCountedAhead = 0;
  /** Per stream of the file being imported: true when _latest held none of its keys as the file began. */
  private readonly freshInFile = new Map<string, boolean>();
  /** The first invalid and warning records committed, for the run's summary. */
  readonly problems = new ProblemExamples();

  constructor(
    private readonly session: Session,
    readonly constants: RunConstants,
    /**
     * Runs work on a second connection (PostgreSQL): stage tables' indexes build on two cores,
     * and a large file's id counts run beside the batch in flight.
     */
    private readonly spareSession?: SpareSession,
    /** A file's distinct ids counted in memory before the temporary table takes over. */
    memoryCountedIds = MEMORY_COUNTED_IDS,
  ) {
    this.table = `bronze_${constants.source}`;
    this.latest = `${this.table}_latest`;
    this.months = new BulkMonths(this.table);
    const spare = spareSession;
    const countTableSession =
      spare &&
      (async () => {
        try {
          return (await (this.countLease ??= leaseSession(spare))).session;
        } catch (err) {
          throw new Error(`a file of more than ${memoryCountedIds} distinct ids counts the rest on a second database connection, which could not be opened: ${(err as Error).message}`);
        }
      });
    this.occurrences = new OccurrenceNumbering('import', memoryCountedIds, countTableSession);
  }

  /** Rows go to the database with COPY (both engines), so a batch may hold them as COPY bytes. */
  get copiesRows(): boolean {
    return this.session.copyFrom !== undefined;
  }

  /** Called before each file: its ids are numbered anew, its streams looked up anew. */
  async startFile(): Promise<void> {
    await this.occurrences.startFile();
    this.freshInFile.clear();
  }

  /**
   * Called as the batch is handed over, in the batches' order, while the one before it may
   * still be loading: on PostgreSQL, counts its ids at once. Past the ids counted in memory,
   * the count table lives on a connection of its own, so each batch's upsert there (4.4–5.6 s
   * over the ~122 batches past a 1M-id file's 393,216th id, which the batches' transactions
   * waited for: docs/benchmark-history.md, 2026-12-04) runs beside the previous batch's
   * writes, on the server's other core.
   */
  prepare(batch: Batch): void {
    if (!batch.fileImportId || !this.spareSession) return;
    batch.counted = this.occurrences.count(this.session, batch.rows);
    this.batchesCountedAhead++;
    // Awaited by load(); unheard if an earlier batch failed and this one never loads.
    batch.counted.catch(() => undefined);
  }

  /** Gives back the count table's connection, the table dropped: at the end of each file, and of the run. */
  async close(): Promise<void> {
    const leased = this.countLease;
    this.countLease = undefined;
    this.occurrences.forgetTable();
    const lease = await leased?.catch(() => undefined);
    if (!lease) return;
    let failed: unknown;
    await lease.session.exec(`DROP TABLE IF EXISTS ${COUNT_TABLE}`).catch((err: unknown) => {
      failed = err;
    });
    await lease.release(failed);
  }

  /**
   * Stores what is new or changed in the batch, then the cursor and the run's counters,
   * all in one transaction. A record whose hash equals the latest stored version of its
   * (stream, raw_id) is not stored again; a different hash becomes version latest + 1.
   * Correct only while this session holds the source's lock: no one else writes _latest.
   */
  async load(batch: Batch): Promise<BatchCounts> {
    const counts = emptyCounts();
    counts.seen = batch.rows.length;
    await this.months.ensureFor(this.session, batch.rows.map((r) => r.sourceTimestamp));

    let written: RowToWrite[] = [];
    const committed = await this.session.transaction(async () => {
      // Before numbering: which ids the file itself spells like a numbered one (see freshStreams).
      const numberedLooking = batch.fileImportId ? streamsWithNumberedLookingIds(batch.rows) : undefined;
      const repeats = batch.fileImportId ? this.occurrences.apply(batch.rows, await (batch.counted ?? this.occurrences.count(this.session, batch.rows))) : 0;
      const fresh = numberedLooking ? await this.freshStreams(batch.rows, numberedLooking) : undefined;
      const toWrite = await this.decide(batch.rows, counts, fresh);
      written = toWrite;
      if (toWrite.length) {
        const write = (table: string, rows: RowToWrite[]) => writeRows(this.session, table, this.constants, rows, batch.startedAt);
        const rest = await this.months.writeStaged(this.session, toWrite, write);
        if (rest.length) await write(this.table, rest);
        await this.updateLatest(toWrite);
      }
      await addRunCounts(this.session, this.constants.runId, counts);
      for (const [stream, cursor] of batch.state ?? []) await writeCursor(this.session, this.constants.source, stream, cursor, this.constants.runId);
      if (batch.fileImportId) await addFileRecords(this.session, batch.fileImportId, counts.seen, repeats);
      return counts;
    });
    // Only rows of a committed batch: a failed run's summary names nothing it did not store.
    for (const w of written) this.problems.note(w.row);
    return committed;
  }

  /**
   * Makes the months bulk-loaded so far indexed partitions (see bulk-month.ts). The file's
   * counts are done: their connection goes back first, for the index builds of a run beside.
   */
  async finishBulk(onIndexing?: IndexingListener): Promise<void> {
    await this.close();
    await this.months.attachAll(this.session, this.spareSession, onIndexing);
  }

  /**
   * The batch's streams that had no key in _latest when this file began. Their keys need no
   * lookup: the file's ids are numbered unique across the file (OccurrenceNumbering), so the
   * only keys of such a stream in _latest are this file's earlier, different ones. A first
   * import of millions of records skips one indexed probe per batch. Asked once per stream
   * and file, before any of the file's rows of that stream are written. Unless the file spells
   * an id like a numbered one (`a#2`): that id and the 2nd `a` are the same key, so from the
   * first such id on, the stream's keys are looked up for the rest of the file.
   */
  private async freshStreams(rows: BronzeRow[], numberedLooking: ReadonlySet<string>): Promise<Set<string>> {
    for (const stream of numberedLooking) this.freshInFile.set(stream, false);
    const fresh = new Set<string>();
    for (const r of rows) {
      let known = this.freshInFile.get(r.stream);
      if (known === undefined) {
        const [{ held }] = await this.session.query<{ held: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${this.latest} WHERE stream = $1) AS held`, [r.stream]);
        known = !held;
        this.freshInFile.set(r.stream, known);
      }
      if (known) fresh.add(r.stream);
    }
    return fresh;
  }

  /**
   * Which rows are new, new versions or unchanged (reads only: a dry run uses it too).
   * Keys of `fresh` streams are known to be absent from _latest (see freshStreams).
   */
  decide(rows: BronzeRow[], counts: BatchCounts, fresh?: ReadonlySet<string>): Promise<RowToWrite[]> {
    return decideRows(this.session, this.latest, rows, counts, fresh);
  }

  private async updateLatest(written: RowToWrite[]): Promise<void> {
    // One entry per key: ON CONFLICT cannot touch the same row twice in one statement.
    const last = new Map<string, RowToWrite>();
    for (const w of written) last.set(`${w.row.stream}\u0000${w.row.rawId}`, w);
    await writeLatest(this.session, this.latest, [...last.values()]);
  }
}

/** Streams of the batch with an id, as the file gives it, ending like a numbered one (`#2`). */
function streamsWithNumberedLookingIds(rows: readonly BronzeRow[]): Set<string> {
  const streams = new Set<string>();
  for (const r of rows) if (/#\d+$/.test(r.rawId)) streams.add(r.stream);
  return streams;
}
