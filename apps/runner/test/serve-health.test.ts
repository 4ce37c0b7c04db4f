import { silentLogger, loadSettings } from '@bronze/core';
import { describeEachEngine, createTestDatabase, type TestDatabase } from '@bronze/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { get, MANUAL_CONFIG, tempProject } from './helpers.js';

const POOL_SIZE = 4; // openDatabase's pg pool; PGlite has one connection

/** Holds every connection of the database's pool (PGlite: its one session) until released. */
function holdAllConnections(db: TestDatabase, count: number): { held: Promise<void>; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered = 0;
  let allIn!: () => void;
  const held = new Promise<void>((r) => (allIn = r));
  for (let i = 0; i < count; i++) {
    void db.withSession(async (s) => {
      await s.query('SELECT 1');
      if (++entered === count) allIn();
      await gate;
    });
  }
  return { held, release };
}

describeEachEngine('/health while runs hold the database', (db, engine) => {
  let serve: ServeHandle;

  beforeAll(async () => {
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    serve = await startServe({ config: project.config, database: db(), port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger(), healthTimeoutMs: 3000 });
    expect((await serve.scheduler.runNow('manual')).result).toBe('succeeded');
  });
  afterAll(() => serve?.stop());

  it('answers 200 with the last run and the counted rows when every pooled connection is busy', async () => {
    const hold = holdAllConnections(db(), engine === 'postgres' ? POOL_SIZE : 1);
    await hold.held;
    try {
      const res = await get(`${serve.http!.url}/health`);
      expect(res.status, res.text).toBe(200);
      const manual = JSON.parse(res.text).sources.find((s: { source: string }) => s.source === 'manual');
      expect(manual.last_run.status).toBe('succeeded');
      expect(manual.streams).toEqual([expect.objectContaining({ stream: 'weights', rows: 3 })]);
      expect(manual.rows_counted_at).toMatch(/^\d{4}-/);
    } finally {
      hold.release();
    }
  });
});

// A table too big to count in time, simulated by a lock that makes any read of it wait.
describe.runIf(process.env.TEST_DATABASE_URL)('/health next to a table it cannot read in time [postgres]', () => {
  let db: TestDatabase;
  let serve: ServeHandle | undefined;
  beforeAll(async () => {
    db = await createTestDatabase('postgres');
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.close();
  });

  it('does not count rows per request', async () => {
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    serve = await startServe({ config: project.config, database: db, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger(), healthTimeoutMs: 3000 });
    expect((await serve.scheduler.runNow('manual')).result).toBe('succeeded');
    const locker = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE bronze_manual IN ACCESS EXCLUSIVE MODE');
      const res = await get(`${serve.http!.url}/health`);
      expect(res.status, res.text).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
  });
});
