import type { BronzeDatabase } from '../db/database.js';
import type { Session } from '../db/session.js';
import { ConfigError } from '../errors.js';
import { acquireSourceLock, releaseSourceLock } from '../store/runs.js';
import { hostname } from 'node:os';

export interface PrunePartition {
  name: string;
  /** First day of the month, YYYY-MM-DD (UTC). */
  month: string;
  rows: number;
  bytes: number;
}

export interface PrunePlan {
  source: string;
  table: string;
  before: string;
  partitions: PrunePartition[];
  rows: number;
  bytes: number;
  /** The bronze_runs row that logged a pruning that was carried out. */
  runId?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The month partitions of bronze_<source> that lie wholly before `before` (their last
 * instant is earlier than `before` 00:00 UTC), with rows and bytes. Rows without a date
 * (the default partition) are never pruned. A date in the future is refused.
 */
export async function planPrune(s: Session, source: string, before: string, now = new Date()): Promise<PrunePlan> {
  if (!DATE.test(before) || Number.isNaN(Date.parse(`${before}T00:00:00Z`))) throw new ConfigError(`--before must be a date YYYY-MM-DD (got '${before}')`);
  if (Date.parse(`${before}T00:00:00Z`) > now.getTime()) throw new ConfigError(`--before ${before} is in the future; prune removes only months that are over`);
  const table = `bronze_${source}`;
  if (!/^[a-z][a-z0-9_]*$/.test(source)) throw new ConfigError(`invalid source name '${source}'`);
  const [{ exists }] = await s.query<{ exists: boolean }>(`SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS exists`, [table, `${table}_latest`]);
  if (!exists) throw new ConfigError(`there is no table ${table}: source '${source}' has stored nothing here`);
  const parts = await s.query<{ name: string; month: string }>(
    `SELECT c.relname AS name, to_char(to_date(right(c.relname, 7), 'YYYY_MM'), 'YYYY-MM-DD') AS month
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = $1::regclass AND c.relname ~ ('^' || $1 || '_[0-9]{4}_[0-9]{2}$')
        AND (to_date(right(c.relname, 7), 'YYYY_MM') + interval '1 month') <= $2::date
      ORDER BY 1`,
    [table, before],
  );
  const partitions: PrunePartition[] = [];
  for (const p of parts) {
    const [r] = await s.query<{ rows: number; bytes: string }>(`SELECT (SELECT count(*)::int FROM "${p.name}") AS rows, pg_total_relation_size($1::regclass)::text AS bytes`, [p.name]);
    partitions.push({ name: p.name, month: p.month, rows: r.rows, bytes: Number(r.bytes) });
  }
  return {
    source,
    table,
    before,
    partitions,
    rows: partitions.reduce((n, p) => n + p.rows, 0),
    bytes: partitions.reduce((n, p) => n + p.bytes, 0),
  };
}

/**
 * Drops the planned partitions in one transaction while holding the source's lock (no run
 * of the source writes meanwhile; a running one makes this exit 75), and logs the action
 * as a bronze_runs row with action = 'prune'. `_latest` is kept as it is: it still knows
 * the pruned records' latest hashes, so re-importing the same old data stores nothing and a
 * changed record continues the version numbers (see docs/operations-archive.md).
 */
export async function prune(db: BronzeDatabase, source: string, before: string): Promise<PrunePlan> {
  return db.withSession(async (s) => {
    await acquireSourceLock(s, source);
    try {
      return await s.transaction(async () => {
        const plan = await planPrune(s, source, before);
        for (const p of plan.partitions) await s.query(`DROP TABLE "${p.name}"`);
        const [{ id }] = await s.query<{ id: string }>(
          `INSERT INTO bronze_runs (source, action, status, finished_at, parameters, host, pid)
           VALUES ($1, 'prune', 'succeeded', now(), $2::jsonb, $3, $4) RETURNING id`,
          [source, JSON.stringify({ before, partitions: plan.partitions.map((p) => p.name), rows: plan.rows, bytes: plan.bytes }), hostname(), process.pid],
        );
        return { ...plan, runId: id };
      });
    } finally {
      await releaseSourceLock(s, source);
    }
  });
}
