import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, silentLogger, loadSettings } from '@bronze/core';
import { createTestDatabase, type TestDatabase } from '@bronze/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { get, tempProject } from './helpers.js';
import { bronze, waitFor } from './process-helpers.js';

const ROWS = 200_000;

function bigCsv(path: string, value = 0.5): void {
  const lines = ['id,date,value'];
  for (let i = 0; i < ROWS; i++) lines.push(`${i},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i * value}`);
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** Rows stored so far (0 before the table exists). */
async function observe(admin: pg.Client): Promise<number> {
  const r = await admin.query<{ n: number }>(`SELECT coalesce((SELECT count(*)::int FROM bronze_manual), 0) AS n`).catch(() => ({ rows: [{ n: 0 }] }));
  return r.rows[0].n;
}

/**
 * Rows the running run has committed: the run's counter, committed with each batch (rows of a
 * new month are committed into its stage table and visible in bronze_manual only at the end).
 */
async function committedByRunningRun(admin: pg.Client): Promise<number> {
  const r = await admin
    .query<{ n: number }>(`SELECT coalesce(max(records_inserted), 0)::int AS n FROM bronze_runs WHERE status = 'running'`)
    .catch(() => ({ rows: [{ n: 0 }] }));
  return r.rows[0].n;
}

const terminateOthers = (admin: pg.Client) =>
  admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`);

// A dropped connection needs a server: on PGlite there is no connection to drop.
describe.runIf(process.env.TEST_DATABASE_URL)('a database connection dropped during a run [postgres]', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let serve: ServeHandle | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    admin = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await serve?.stop();
    await admin?.end();
    await db?.close();
  });

  it('fails the run; serve lives on, answers /health and the next run completes the table', async () => {
    const project = tempProject(`
missedRuns: skip
sources:
  manual:
    schedule: "0 0 1 1 *"
    files: [big]
    batchSize: 500
`);
    mkdirSync(join(project.root, 'big'));
    bigCsv(join(project.root, 'big', 'numbers.csv'));
    serve = await startServe({
      config: project.config, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger(),
      openDatabase: () => openDatabase({ url: db.env.DATABASE_URL }),
    });
    const run = serve.scheduler.runNow('manual');
    await waitFor(async () => (await committedByRunningRun(admin)) > 0, 'the first batch');
    await terminateOthers(admin);
    const outcome = await run;
    expect(outcome.result).toBe('failed');
    expect(outcome.error).toMatch(/terminat|connection/i);
    // Still alive, still answering; the pool opens new connections.
    const health = await get(`${serve.http!.url}/health`);
    expect(health.status).toBe(200);
    const again = await serve.scheduler.runNow('manual');
    expect(again.result).toBe('succeeded');
    expect(await observe(admin)).toBe(ROWS);
    const runs = await admin.query<{ status: string }>(`SELECT status FROM bronze_runs ORDER BY started_at`);
    expect(runs.rows.map((r) => r.status)).toEqual(['failed', 'succeeded']);
  }, 300_000);

  it('the CLI reports one line and exits 1', async () => {
    const { root } = tempProject('sources: {}\n');
    const file = join(root, 'numbers.csv');
    bigCsv(file, 0.25); // other bytes than the first test's file, so it is not "already imported"
    await admin.query('TRUNCATE bronze_manual');
    const cli = bronze(['ingest', 'manual', '--file', file, '--id-field', 'id'], { BRONZE_HOME: root, DATABASE_URL: db.env.DATABASE_URL, LOG_LEVEL: 'error' });
    await waitFor(async () => (await committedByRunningRun(admin)) > 0 || cli.child.exitCode !== null, 'the first batch');
    await terminateOthers(admin);
    expect(await cli.exit).toBe(1);
    const lines = cli.stderr().trim().split('\n');
    expect(cli.stderr()).not.toMatch(/^\s+at /m); // no stack trace
    expect(lines, cli.stderr()).toEqual([expect.stringMatching(/^error: .*(terminat|connection)/i)]);
    const runs = await admin.query<{ status: string }>(`SELECT status FROM bronze_runs ORDER BY started_at`);
    expect(runs.rows.map((r) => r.status)).toEqual(['failed', 'succeeded', 'failed']);
  }, 300_000);
});
