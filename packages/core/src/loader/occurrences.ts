import type { Session } from '../db/session.js';
import { sha256Hex } from '../envelope/canonical-json.js';
import type { BronzeRow } from '../envelope/envelope.js';
import { KeyCounts } from './key-counts.js';
import { CountTable, type CountTableSession } from './count-table.js';

/**
 * The counts' key: 128 bits of sha256 over stream and raw_id, as a uuid. A 16-byte key
 * keeps the index half the size of (stream, raw_id) text and compares with memcmp: the
 * count per batch cost ~43% less (measured on PostgreSQL 15: 300k ids in 60 batches, 1.34 s
 * against 2.36 s). Two ids share a key only if their sha256 agree on 128 bits, the same
 * assumption as every raw_id bronze derives by hashing (Apple Health's, contentId).
 */
const countKey = (stream: string, rawId: string) => sha256Hex(`${stream}\u0000${rawId}`).slice(0, 32);

/** Where a file's id counts live: memory, then a temporary table (an import), or memory alone (a dry run, which writes nothing). */
interface CountStore {
  reset(): Promise<void>;
  /** The table's connection was given back. */
  forgetTable?(): void;
  /** Adds this batch's counts per key; returns, for keys seen before it, how often. */
  add(session: Session | undefined, batch: Map<string, number>): Promise<Map<string, number>>;
}

/**
 * An import's counts: the file's first `memoryKeys` distinct keys in KeyCounts (16 bytes
 * each), every later one in the temporary table. A key lives in exactly one of the two: once
 * full, KeyCounts takes no new key, so a key it lacks is new or in the table. A file of up to
 * `memoryKeys` ids costs the database nothing per batch (the round trip per batch cost 1.3 s of
 * the server's 11.8 s at 301,459 records). The memory half is not rolled back with a failed
 * batch: no batch is retried, a failed one ends the file (and the run), and the next file
 * starts afresh.
 */
const importStore = (memoryKeys: number, where?: CountTableSession): CountStore => {
  const counts = new KeyCounts(memoryKeys);
  const table = new CountTable(where);
  return {
    forgetTable: () => table.forget(),
    async reset() {
      counts.clear();
      await table.reset();
    },
    async add(session, batch) {
      const before = new Map<string, number>();
      let overflow: Map<string, number> | undefined;
      for (const [key, n] of batch) {
        const earlier = counts.add(key, n);
        if (earlier === undefined) (overflow ??= new Map()).set(key, n);
        else if (earlier > 0) before.set(key, earlier);
      }
      if (overflow) for (const [key, n] of await table.add(session!, overflow)) before.set(key, n);
      return before;
    },
  };
};

/**
 * Distinct ids per file counted in memory before the temporary table takes over: 8 MiB of
 * KeyCounts at most (2^19 slots, 3/4 full). Past it, each batch's upsert (a 1M-id import:
 * 4.4–5.6 s of its batches' time) runs on PostgreSQL on the table's own connection as the
 * batch is handed over, beside the batch in flight (BatchLoader.prepare), and on PGlite in the
 * batch's transaction. Twice as many ids in memory saved ~2 s of 42 but took the peak RSS
 * through a slow database over 150 MB (docs/benchmark-history.md, 2026-12-04).
 */
export const MEMORY_COUNTED_IDS = 393_216;

/** A dry run's counts: ~100 bytes per distinct id of the file, freed when the file ends. */
const memoryStore = (): CountStore => {
  const counts = new Map<string, number>();
  return {
    async reset() {
      counts.clear();
    },
    async add(_session, batch) {
      const before = new Map<string, number>();
      for (const [key, n] of batch) {
        const earlier = counts.get(key) ?? 0;
        if (earlier) before.set(key, earlier);
        counts.set(key, earlier + n);
      }
      return before;
    },
  };
};

/** A batch's ids counted: each row's key, and how often the file held each key before the batch. */
export interface CountedIds {
  keyOf: string[];
  seen: Map<string, number>;
}

/**
 * Numbers ids repeated inside one file import: per stream, the first occurrence of raw_id
 * X keeps X, the 2nd and later become `X#2`, `X#3`…; ids that count every occurrence
 * (meta.countedId) become `X#1`, `X#2`…. The same file read again numbers the same way, so
 * a re-import (or a longer version of the file) adds nothing.
 *
 * The counts are keyed by countKey: a file's first MEMORY_COUNTED_IDS distinct ids in memory
 * (16 bytes each), the rest in a session-local temporary table, so a file of millions of
 * distinct ids costs the process at most 8 MiB (see importStore).
 */
export class OccurrenceNumbering {
  /** Distinct ids of the current file seen more than once (countedId ids excluded). */
  repeatedIds = 0;
  /** Occurrences after the first of those ids. */
  repeats = 0;
  example?: string;
  private readonly store: CountStore;

  /**
   * `memory`: a dry run's numbering, which must not write even a temporary table. `import`:
   * the first `memoryKeys` distinct ids of a file in memory, the rest in a temporary table
   * (on `tableSession`'s connection when given, else on the batch's).
   */
  constructor(where: 'import' | 'memory' = 'import', memoryKeys = MEMORY_COUNTED_IDS, tableSession?: CountTableSession) {
    this.store = where === 'memory' ? memoryStore() : importStore(memoryKeys, tableSession);
  }

  /** The count table's own connection was given back, the table with it. */
  forgetTable(): void {
    this.store.forgetTable?.();
  }

  /** Forgets the previous file's counts. */
  async startFile(): Promise<void> {
    await this.store.reset();
    this.repeatedIds = 0;
    this.repeats = 0;
    this.example = undefined;
  }

  /** Rewrites the rows' raw_id in place; returns how many rows were repeats. */
  async number(session: Session | undefined, rows: BronzeRow[]): Promise<number> {
    return this.apply(rows, await this.count(session, rows));
  }

  /**
   * Counts the rows' ids: the counts in memory at once, the temporary table's part when its
   * reply comes. Batches must be counted in their order, each once, before it is applied.
   */
  async count(session: Session | undefined, rows: readonly BronzeRow[]): Promise<CountedIds> {
    const keyOf = rows.map((r) => countKey(r.stream, r.rawId));
    const batchCount = new Map<string, number>();
    for (const key of keyOf) batchCount.set(key, (batchCount.get(key) ?? 0) + 1);
    return { keyOf, seen: await this.store.add(session, batchCount) };
  }

  /** Numbers the rows from their counts (see count); returns how many rows were repeats. */
  apply(rows: BronzeRow[], { keyOf, seen }: CountedIds): number {
    let repeated = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      const key = keyOf[i];
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (r.countEvery) {
        r.rawId = `${r.rawId}#${n}`;
        continue;
      }
      if (n === 1) continue;
      repeated++;
      if (n === 2) {
        this.repeatedIds++;
        this.example ??= `${r.stream}/${r.rawId}`;
      }
      r.rawId = `${r.rawId}#${n}`;
    }
    this.repeats += repeated;
    return repeated;
  }
}
