import { errorMessage, redact, type BronzeDatabase } from '@bronze/core';

/**
 * The one database handle of a `bronze serve` process, shared by every scheduled run and
 * every /health check (PGlite allows one process per data directory; a pool is enough for
 * PostgreSQL). When PostgreSQL is down at start, opening is retried on demand, so the
 * process keeps answering /health (503) until the server is back.
 */
export class DatabaseHolder {
  private db: BronzeDatabase | undefined;
  private opening: Promise<BronzeDatabase> | undefined;
  /** Why the last attempt to open failed (secrets removed). */
  lastError: string | undefined;

  constructor(
    private readonly open: () => Promise<BronzeDatabase>,
    private readonly owned = true,
  ) {}

  static of(db: BronzeDatabase): DatabaseHolder {
    const holder = new DatabaseHolder(async () => db, false);
    holder.db = db;
    return holder;
  }

  current(): BronzeDatabase | undefined {
    return this.db;
  }

  get(): Promise<BronzeDatabase> {
    if (this.db) return Promise.resolve(this.db);
    this.opening ??= this.open().then(
      (db) => {
        this.db = db;
        this.lastError = undefined;
        this.opening = undefined;
        return db;
      },
      (err: unknown) => {
        this.lastError = redact(errorMessage(err));
        this.opening = undefined;
        throw err;
      },
    );
    return this.opening;
  }

  async close(): Promise<void> {
    const db = this.db ?? (await this.opening?.catch(() => undefined));
    this.db = undefined;
    if (db && this.owned) await db.close();
  }
}
