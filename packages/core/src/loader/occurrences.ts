import type { Session } from '../db/session.js';
import { sha256Hex } from '../envelope/canonical-json.js';
import type { BronzeRow } from '../envelope/envelope.js';

const TABLE = 'pg_temp.bronze_occurrence_counts';

/**
 * The counts' key: 128 bits of sha256 over stream and raw_id, as a uuid. A 16-byte key
 * keeps the index half the size of (stream, raw_id) text and compares with memcmp: the
 * count per batch cost ~43% less (measured on PostgreSQL 15: 300k ids in 60 batches, 1.34 s
 * against 2.36 s). Two ids share a key only if their sha256 agree on 128 bits, the same
 * assumption as every raw_id bronze derives by hashing (Apple Health's, contentId).
 */
const countKey = (stream: string, rawId: string) => sha256Hex(`${stream}\u0000${rawId}`).slice(0, 32);

/** Where a file's id counts live: a temporary table (an import), or memory (a dry run, which writes nothing). */
interface CountStore {
  reset(session: Session | undefined): Promise<void>;
  /** Adds this batch's counts per key; returns, for keys seen before it, how often. */
  add(session: Session | undefined, batch: Map<string, number>): Promise<Map<string, number>>;
}

const tableStore = (): CountStore => {
  let created = false;
  return {
    async reset(session) {
      if (!created) {
        await session!.exec(`CREATE TEMP TABLE IF NOT EXISTS bronze_occurrence_counts (key uuid PRIMARY KEY, n bigint NOT NULL)`);
        created = true;
      }
      await session!.exec(`TRUNCATE ${TABLE}`);
    },
    async add(session, batch) {
      // Only keys whose total passed this batch's count were seen before (or repeat here).
      const totals = await session!.query<{ key: string; n: string | number }>(
        `WITH up AS (
           INSERT INTO ${TABLE} AS o (key, n)
           SELECT * FROM unnest($1::uuid[], $2::bigint[])
           ON CONFLICT (key) DO UPDATE SET n = o.n + EXCLUDED.n
           RETURNING o.key, o.n)
         SELECT replace(key::text, '-', '') AS key, n FROM up WHERE n > 1`,
        [[...batch.keys()], [...batch.values()]],
      );
      const before = new Map<string, number>();
      for (const t of totals) {
        const n = Number(t.n) - batch.get(t.key)!;
        if (n > 0) before.set(t.key, n);
      }
      return before;
    },
  };
};

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

/**
 * Numbers ids repeated inside one file import: per stream, the first occurrence of raw_id
 * X keeps X, the 2nd and later become `X#2`, `X#3`…; ids that count every occurrence
 * (meta.countedId) become `X#1`, `X#2`…. The same file read again numbers the same way, so
 * a re-import (or a longer version of the file) adds nothing.
 *
 * The counts live in a session-local temporary table, not in memory: a file of millions of
 * distinct ids costs the process nothing per id. They are keyed by countKey. Counting runs inside the batch's
 * transaction, so a batch that rolls back takes its counts with it.
 */
export class OccurrenceNumbering {
  /** Distinct ids of the current file seen more than once (countedId ids excluded). */
  repeatedIds = 0;
  /** Occurrences after the first of those ids. */
  repeats = 0;
  example?: string;
  private readonly store: CountStore;

  /** `memory`: a dry run's numbering, which must not write even a temporary table. */
  constructor(where: 'table' | 'memory' = 'table') {
    this.store = where === 'memory' ? memoryStore() : tableStore();
  }

  /** Forgets the previous file's counts. */
  async startFile(session?: Session): Promise<void> {
    await this.store.reset(session);
    this.repeatedIds = 0;
    this.repeats = 0;
    this.example = undefined;
  }

  /** Rewrites the rows' raw_id in place; returns how many rows were repeats. */
  async number(session: Session | undefined, rows: BronzeRow[]): Promise<number> {
    const keyOf = rows.map((r) => countKey(r.stream, r.rawId));
    const batchCount = new Map<string, number>();
    for (const key of keyOf) batchCount.set(key, (batchCount.get(key) ?? 0) + 1);
    const seen = await this.store.add(session, batchCount);
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
