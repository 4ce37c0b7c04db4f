import type { Session } from '../db/session.js';
import type { BronzeRow } from '../envelope/envelope.js';

const TABLE = 'pg_temp.bronze_occurrences';

/**
 * Numbers ids repeated inside one file import: per stream, the first occurrence of raw_id
 * X keeps X, the 2nd and later become `X#2`, `X#3`…; ids that count every occurrence
 * (meta.countedId) become `X#1`, `X#2`…. The same file read again numbers the same way, so
 * a re-import (or a longer version of the file) adds nothing.
 *
 * The counts live in a session-local temporary table, not in memory: a file of millions of
 * distinct ids costs the process nothing per id. Counting runs inside the batch's
 * transaction, so a batch that rolls back takes its counts with it.
 */
export class OccurrenceNumbering {
  /** Distinct ids of the current file seen more than once (countedId ids excluded). */
  repeatedIds = 0;
  /** Occurrences after the first of those ids. */
  repeats = 0;
  example?: string;
  private created = false;

  /** Forgets the previous file's counts. */
  async startFile(session: Session): Promise<void> {
    if (!this.created) {
      await session.exec(`CREATE TEMP TABLE IF NOT EXISTS bronze_occurrences (
        stream text NOT NULL, raw_id text NOT NULL, n bigint NOT NULL, PRIMARY KEY (stream, raw_id))`);
      this.created = true;
    }
    await session.exec(`TRUNCATE ${TABLE}`);
    this.repeatedIds = 0;
    this.repeats = 0;
    this.example = undefined;
  }

  /** Rewrites the rows' raw_id in place; returns how many rows were repeats. */
  async number(session: Session, rows: BronzeRow[]): Promise<number> {
    const local = new Map<string, { stream: string; rawId: string; n: number }>();
    for (const r of rows) {
      const key = `${r.stream}\u0000${r.rawId}`;
      const k = local.get(key);
      if (k) k.n++;
      else local.set(key, { stream: r.stream, rawId: r.rawId, n: 1 });
    }
    const keys = [...local.values()];
    // Only keys whose total passed this batch's count were seen before (or repeat here).
    const before = await session.query<{ stream: string; raw_id: string; n: string | number }>(
      `WITH up AS (
         INSERT INTO ${TABLE} AS o (stream, raw_id, n)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (stream, raw_id) DO UPDATE SET n = o.n + EXCLUDED.n
         RETURNING o.stream, o.raw_id, o.n)
       SELECT stream, raw_id, n FROM up WHERE n > 1`,
      [keys.map((k) => k.stream), keys.map((k) => k.rawId), keys.map((k) => k.n)],
    );
    const seen = new Map<string, number>();
    for (const b of before) {
      const key = `${b.stream}\u0000${b.raw_id}`;
      seen.set(key, Number(b.n) - local.get(key)!.n);
    }
    let repeated = 0;
    for (const r of rows) {
      const key = `${r.stream}\u0000${r.rawId}`;
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
