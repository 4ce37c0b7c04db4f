import type { Session } from '../db/session.js';

/** First day (UTC) of the month holding the instant, as YYYY-MM-01. */
export function monthOf(d: Date): string {
  return `${d.getUTCFullYear().toString().padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01`;
}

/**
 * Remembers which month partitions of a table exist so that a batch costs one
 * function call per new month only. Rows with no date go to the default partition.
 */
export class MonthPartitions {
  private readonly known = new Set<string>();
  private loaded = false;

  constructor(private readonly table: string) {}

  async ensureFor(session: Session, instants: Iterable<Date | null>): Promise<string[]> {
    if (!this.loaded) {
      const rows = await session.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = $1::regclass`,
        [this.table],
      );
      for (const r of rows) {
        const m = /_(\d{4})_(\d{2})$/.exec(r.name);
        if (m) this.known.add(`${m[1]}-${m[2]}-01`);
      }
      this.loaded = true;
    }
    const wanted = new Set<string>();
    for (const t of instants) if (t) wanted.add(monthOf(t));
    const created: string[] = [];
    for (const month of [...wanted].sort()) {
      if (this.known.has(month)) continue;
      const [{ created: made }] = await session.query<{ created: boolean }>(
        'SELECT bronze_ensure_month_partition($1, $2::date) AS created',
        [this.table, month],
      );
      this.known.add(month);
      if (made) created.push(month);
    }
    return created;
  }
}
