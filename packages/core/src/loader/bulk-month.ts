import { createHash } from 'node:crypto';
import type { Session } from '../db/session.js';
import { monthOf, MonthPartitions } from './partitions.js';
import type { RowToWrite } from './write-rows.js';
import type { IndexingListener } from '../ingest/progress.js';

/**
 * The bulk path for months the table does not hold yet. COPY into an indexed partition
 * maintains every index row by row (GIN on raw_data the costliest: measured ~15k rows/s
 * against ~90k into a table without indexes), so rows of a brand-new month go to a
 * standalone, unindexed stage table `bronze_<source>_bulk_YYYY_MM` of the same shape,
 * in the transaction of their batch (with _latest, the cursor and the run's counters,
 * as on the normal path). When the batcher finishes (a file or a stream is done),
 * each stage table becomes the month's partition in one transaction: rename, then
 * ATTACH PARTITION, which builds the partition's indexes in bulk. A crash leaves either
 * a stage table (its rows committed, not yet visible in bronze_<source>) or a fully
 * indexed partition; the next run of the source attaches what a dead run left first.
 * Months that already have a partition, or whose rows sit in the default partition,
 * take the normal path.
 */
export class BulkMonths {
  private readonly partitions: MonthPartitions;
  private readonly attached = new Set<string>();
  private readonly staged = new Set<string>();
  private readonly created = new Set<string>();
  private loaded = false;

  constructor(
    private readonly table: string,
    // On unless BRONZE_BULK_MONTHS=off. Staged rows are committed but invisible in
    // bronze_<source> until their read ends: bronze_visible_through() tells a silver layer
    // how far it may read by ingested_at (sql/README.md).
    private readonly enabled = process.env.BRONZE_BULK_MONTHS !== 'off',
  ) {
    this.partitions = new MonthPartitions(table);
  }

  stageName(month: string): string {
    return `${this.table}_bulk_${month.slice(0, 4)}_${month.slice(5, 7)}`;
  }

  /** Makes sure every row of the batch has a place: a partition, or a stage table to be. */
  async ensureFor(session: Session, instants: Iterable<Date | null>): Promise<void> {
    await this.init(session);
    const normal: Date[] = [];
    const months = new Map<string, Date>();
    for (const t of instants) if (t) months.set(monthOf(t), t);
    for (const [month, instant] of months) {
      if (this.attached.has(month) || this.staged.has(month)) continue;
      if (this.enabled && !(await this.defaultHolds(session, month))) this.staged.add(month);
      else {
        normal.push(instant);
        this.attached.add(month);
      }
    }
    if (normal.length) await this.partitions.ensureFor(session, normal);
  }

  /**
   * Inside the batch's transaction: writes the rows of staged months into their stage
   * tables (creating them) and returns the rows for the partitioned table.
   */
  async writeStaged(session: Session, rows: RowToWrite[], write: (table: string, rows: RowToWrite[]) => Promise<void>): Promise<RowToWrite[]> {
    if (!this.staged.size) return rows;
    const rest: RowToWrite[] = [];
    const byMonth = new Map<string, RowToWrite[]>();
    for (const w of rows) {
      const month = w.row.sourceTimestamp ? monthOf(w.row.sourceTimestamp) : undefined;
      if (month && this.staged.has(month)) {
        const list = byMonth.get(month);
        if (list) list.push(w);
        else byMonth.set(month, [w]);
      } else rest.push(w);
    }
    for (const [month, list] of byMonth) {
      if (!this.created.has(month)) {
        const [start, end] = monthRange(month);
        await session.query(
          `CREATE TABLE IF NOT EXISTS ${this.stageName(month)} (LIKE ${this.table} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS,
             CONSTRAINT bronze_bulk_range CHECK (source_timestamp IS NOT NULL AND source_timestamp >= '${start}' AND source_timestamp < '${end}'))`,
        );
        // Registered with the table: bronze_visible_through() holds back until it is attached.
        await session.query(`INSERT INTO bronze_bulk_stages (stage_table, source) VALUES ($1, $2) ON CONFLICT (stage_table) DO NOTHING`, [
          this.stageName(month),
          this.table.slice('bronze_'.length),
        ]);
        this.created.add(month);
      }
      await write(this.stageName(month), list);
    }
    return rest;
  }

  /**
   * Makes every staged month an indexed partition of the table, one transaction each. The
   * event loop gets a turn after each statement: PGlite runs them synchronously, and a run
   * stopped by Ctrl-C comes here to finish, so a second Ctrl-C ("exit at once") must be heard
   * between them (it was not, for the 5–9 s of a 150k-record import's 24 months); the months
   * left staged are attached by the next run (init). The stage tables' indexes are built
   * first, on two connections when there is a spare one (the reader is done: the database may
   * use both cores); ATTACH then adopts them. `onIndexing` hears each month whose indexes are
   * done: a read's last phase, with nothing else to show for it.
   */
  async attachAll(session: Session, spare?: SpareSession, onIndexing?: IndexingListener): Promise<void> {
    await this.init(session);
    const months = [...this.staged].filter((m) => this.created.has(m)).sort();
    const total = months.length;
    let done = 0;
    const indexed = () => onIndexing?.({ done: ++done, total });
    if (total) onIndexing?.({ done, total });
    if (months.length > 1) {
      const indexes = await this.indexTemplates(session);
      const build = async (s: Session) => {
        // The two connections fill both cores; a parallel build of a month-sized table spent
        // more on starting its workers than on the index (PostgreSQL 15, a month of 8.5k rows:
        // 27–76 ms per index with the default 2 workers, 7 ms without; docs/benchmark-history.md).
        await s.query('SET max_parallel_maintenance_workers = 0');
        try {
          for (let month = months.shift(); month; month = months.shift()) {
            for (const create of indexes) {
              await s.query(create(this.stageName(month)));
              await eventLoopTurn();
            }
            indexed();
          }
        } finally {
          // A build's own failure (a lost connection, Ctrl-C) is the error to report, not this.
          await s.query('RESET max_parallel_maintenance_workers').catch(() => undefined);
        }
      };
      await Promise.all([build(session), ...(spare ? [spare(build)] : [])]);
    }
    for (const month of [...this.staged].sort()) {
      if (this.created.has(month)) {
        await this.attach(session, month);
        // One month alone: ATTACH built its indexes.
        if (total === 1) indexed();
      }
      await eventLoopTurn();
      this.staged.delete(month);
      this.created.delete(month);
      // Not attached when it never got a row; its next rows take the bulk path again.
      if (await this.exists(session, this.partitionName(month))) this.attached.add(month);
    }
  }

  private partitionName(month: string): string {
    return `${this.table}_${month.slice(0, 4)}_${month.slice(5, 7)}`;
  }

  private async attach(session: Session, month: string): Promise<void> {
    const stage = this.stageName(month);
    const part = this.partitionName(month);
    const [start, end] = monthRange(month);
    await session.transaction(async () => {
      // The lock bronze_ensure_month_partition takes: nobody creates this month meanwhile.
      await session.query(`SELECT pg_advisory_xact_lock(hashtext('bronze_partition:' || $1))`, [this.table]);
      await session.query(`DELETE FROM bronze_bulk_stages WHERE stage_table = $1`, [stage]);
      const columns = await this.columns(session);
      if (await this.exists(session, part)) {
        // Someone made the month a partition meanwhile (another tool): move the rows there.
        await session.query(`INSERT INTO ${this.table} (${columns}) SELECT ${columns} FROM ${stage}`);
        await session.query(`DROP TABLE ${stage}`);
        return;
      }
      // ATTACH refuses a range the default partition holds rows of: take them along.
      await session.query(
        `WITH moved AS (DELETE FROM ${this.table}_default WHERE source_timestamp >= $1 AND source_timestamp < $2 RETURNING ${columns})
         INSERT INTO ${stage} (${columns}) SELECT ${columns} FROM moved`,
        [start, end],
      );
      await session.query(`ALTER TABLE ${stage} RENAME TO ${part}`);
      await session.query(`ALTER TABLE ${this.table} ATTACH PARTITION ${part} FOR VALUES FROM ('${start}') TO ('${end}')`);
      await session.query(`ALTER TABLE ${part} DROP CONSTRAINT bronze_bulk_range`);
    });
  }

  /**
   * The table's indexes as statements for a stage table: the same definition (ATTACH adopts
   * an index that matches), a name fixed by the stage table and the index (a build cut short
   * by a crash is finished, never doubled, by the next attach).
   */
  private async indexTemplates(session: Session): Promise<((stage: string) => string)[]> {
    const rows = await session.query<{ def: string }>(
      `SELECT pg_get_indexdef(indexrelid) AS def FROM pg_index WHERE indrelid = $1::regclass ORDER BY indexrelid::regclass::text`,
      [this.table],
    );
    return rows.map(({ def }, i) => {
      const rest = /^CREATE INDEX \S+ ON ONLY \S+ (USING .*)$/.exec(def)?.[1];
      if (!rest) throw new Error(`bulk path: unexpected index definition on ${this.table}: ${def}`);
      return (stage: string) => `CREATE INDEX IF NOT EXISTS ${stageIndexName(stage, i)} ON ${stage} ${rest}`;
    });
  }

  /** Reads which months are partitions, and attaches the stage tables a dead run left. */
  private async init(session: Session): Promise<void> {
    if (this.loaded) return;
    const children = await session.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
      [this.table],
    );
    for (const { name } of children) {
      const m = /_(\d{4})_(\d{2})$/.exec(name);
      if (m) this.attached.add(`${m[1]}-${m[2]}-01`);
    }
    const stages = await session.query<{ name: string }>(
      `SELECT relname AS name FROM pg_class WHERE relkind = 'r' AND pg_table_is_visible(oid) AND starts_with(relname, $1)`,
      [`${this.table}_bulk_`],
    );
    this.loaded = true;
    const pattern = new RegExp(`^${this.table}_bulk_(\\d{4})_(\\d{2})$`);
    for (const { name } of stages) {
      const m = pattern.exec(name);
      if (!m) continue;
      const month = `${m[1]}-${m[2]}-01`;
      this.staged.add(month);
      this.created.add(month);
    }
    if (this.staged.size) await this.attachAll(session);
  }

  private async defaultHolds(session: Session, month: string): Promise<boolean> {
    const [start, end] = monthRange(month);
    const [r] = await session.query<{ holds: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${this.table}_default WHERE source_timestamp >= $1 AND source_timestamp < $2) AS holds`,
      [start, end],
    );
    return r.holds;
  }

  private async exists(session: Session, name: string): Promise<boolean> {
    const [r] = await session.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [name]);
    return r.found;
  }

  /** Every column but the generated one. */
  private async columns(session: Session): Promise<string> {
    const rows = await session.query<{ name: string }>(
      `SELECT quote_ident(attname) AS name FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`,
      [this.table],
    );
    return rows.map((r) => r.name).join(', ');
  }
}

/** Runs work on another connection of the same database. */
export type SpareSession = <T>(fn: (session: Session) => Promise<T>) => Promise<T>;

/** A stage table's index name: short enough for any source name (identifiers stop at 63 bytes). */
function stageIndexName(stage: string, i: number): string {
  return `bronze_bulk_${createHash('sha256').update(stage).digest('hex').slice(0, 20)}_${i}`;
}

/**
 * [first instant, first instant of the next month], UTC, as text PostgreSQL reads: December
 * 9999 ends in the year 10000, which toISOString writes `+010000-…` (read as a zone offset).
 */
function monthRange(month: string): [string, string] {
  const start = new Date(`${month}T00:00:00Z`);
  // Not Date.UTC(year, month + 1, 1): it reads the years 0–99 as 1900–1999.
  const end = new Date(start.getTime());
  end.setUTCMonth(end.getUTCMonth() + 1);
  return [pgInstant(start), pgInstant(end)];
}

function pgInstant(d: Date): string {
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-01T00:00:00Z`;
}

/** A macrotask turn: timers and signal handlers run (awaiting PGlite alone gives only microtasks). */
const eventLoopTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

