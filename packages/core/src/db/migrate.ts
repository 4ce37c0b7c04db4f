import { createHash } from 'node:crypto';
import { BronzeError } from '../errors.js';
import { migrations as embedded } from './migrations.generated.js';
import type { Session } from './session.js';

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

const LOCK_KEY = 'bronze_migrate';

/**
 * Applies sql/NNN_*.sql in order, each in its own transaction, recording name and
 * checksum in bronze_migrations. Safe to re-run and to run concurrently (advisory lock).
 * An applied file whose text changed is refused: migrations are append-only.
 */
export async function migrate(session: Session, migrations = embedded): Promise<MigrationResult> {
  await session.exec(`CREATE TABLE IF NOT EXISTS bronze_migrations (
    name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  await session.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_KEY]);
  try {
    const rows = await session.query<{ name: string; checksum: string }>('SELECT name, checksum FROM bronze_migrations');
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      const checksum = createHash('sha256').update(m.sql).digest('hex');
      const previous = done.get(m.name);
      if (previous !== undefined) {
        if (previous !== checksum) {
          throw new BronzeError(`migration ${m.name} was changed after it was applied; add a new migration instead`);
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await session.transaction(async () => {
        await session.exec(m.sql);
        await session.query('INSERT INTO bronze_migrations (name, checksum) VALUES ($1, $2)', [m.name, checksum]);
      });
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await session.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_KEY]);
  }
}
