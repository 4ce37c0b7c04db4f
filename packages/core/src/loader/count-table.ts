import type { Session } from '../db/session.js';

export const COUNT_TABLE = 'pg_temp.bronze_occurrence_counts';

/**
 * A connection of the temporary table's own (PostgreSQL), asked for on the table's first use,
 * so that a batch's counts run outside its transaction, beside the previous batch's writes
 * (BatchLoader.prepare). Without one (PGlite), the table lives on the batch's session.
 */
export type CountTableSession = () => Promise<Session>;

/** The temporary table: created on first use, emptied per file. */
export class CountTable {
  private created?: Promise<Session>;
  used = false;

  constructor(private readonly where?: CountTableSession) {}

  async reset(): Promise<void> {
    if (!this.used) return;
    // Used: created on its connection.
    await (await this.created!).exec(`TRUNCATE ${COUNT_TABLE}`);
    this.used = false;
  }

  /** Adds this batch's counts per key; returns, for keys the table held before it, how often. */
  async add(batchSession: Session, batch: Map<string, number>): Promise<Map<string, number>> {
    // One promise: two batches counted back to back must not both create and truncate it.
    this.created ??= this.create(batchSession);
    const session = await this.created;
    this.used = true;
    // Only keys whose total passed this batch's count were seen before (or repeat here).
    const totals = await session.query<{ key: string; n: string | number }>(
      `WITH up AS (
         INSERT INTO ${COUNT_TABLE} AS o (key, n)
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
  }

  private async create(batchSession: Session): Promise<Session> {
    const session = this.where ? await this.where() : batchSession;
    if (this.where) {
      // The server's memory for the table, on its own connection (outside any transaction,
      // where a refusal harms nothing: it is refused once the connection has used a temporary
      // table). 600,000 random keys upserted in batches of 5,000: 4.7–4.9 s with the default
      // 8 MB, 3.8–4.3 s with 64 MB, alternated (PostgreSQL 15, docs/benchmark-history.md).
      await session.exec(`SET temp_buffers = '${COUNT_TABLE_BUFFERS}'`).catch(() => undefined);
    }
    await session.exec(`CREATE TEMP TABLE IF NOT EXISTS bronze_occurrence_counts (key uuid PRIMARY KEY, n bigint NOT NULL)`);
    await session.exec(`TRUNCATE ${COUNT_TABLE}`);
    return session;
  }

  /** Its connection was given back (the table dropped with it): the next use creates it anew. */
  forget(): void {
    this.created = undefined;
    this.used = false;
  }
}

/** The server memory a count table on its own connection may keep in buffers. */
const COUNT_TABLE_BUFFERS = '64MB';
