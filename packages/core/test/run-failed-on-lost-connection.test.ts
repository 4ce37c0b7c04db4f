import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@bronze/testkit';
import { finishFailedRun, startRun } from '../src/store/runs.js';

// A terminated server connection needs a server: PGlite has no connection to lose.
describe.runIf(process.env.TEST_DATABASE_URL)('a run whose connections were all terminated [postgres]', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    admin = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await db?.close();
  });

  it('is marked failed on a fresh connection, though the pool still holds idle ones that were cut too', async () => {
    const outcomes: string[] = [];
    for (let round = 0; round < 5; round++) {
      // Idle connections in the pool, as a run's spare session and earlier batches leave them.
      await Promise.all([1, 2, 3].map(() => db.withSession((s) => s.query('SELECT pg_sleep(0.05)'))));
      const runId = await db.withSession((s) => startRun(s, { source: 'cut', streams: [], parametersJson: '{}', pipelineVersion: 't', environment: 't' }));
      await db.withSession(async (session) => {
        const busy = session.query('SELECT pg_sleep(30)').catch((err: Error) => err);
        // Cut every connection but the admin's, while the run's own is busy.
        for (;;) {
          const r = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep(30)%' AND state = 'active'`);
          if (r.rows[0].n) break;
        }
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);
        expect(await busy).toBeInstanceOf(Error);
        await finishFailedRun(session, db, runId, { status: 'failed', files: { imported: 0, skipped: 0, failed: 0 }, error: 'connection lost', notes: [] });
      }).catch(() => undefined);
      const r = await admin.query<{ status: string }>('SELECT status FROM bronze_runs WHERE id = $1', [runId]);
      outcomes.push(r.rows[0].status);
    }
    expect(outcomes).toEqual(Array(5).fill('failed'));
  }, 60_000);
});
