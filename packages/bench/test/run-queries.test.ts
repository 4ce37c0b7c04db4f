import { adminClient, createServerDatabase, dropServerDatabase } from '@bronze/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runQueryBench } from '../src/queries/run-queries.js';

// The query benchmark end to end on a few thousand generated rows: every query runs, and
// --serial reaches each client's session.
describe.runIf(process.env.TEST_DATABASE_URL)('runQueryBench [postgres]', () => {
  const url = process.env.TEST_DATABASE_URL!;
  const database = `bronze_qbench_test_${process.pid}`;
  afterAll(() => dropServerDatabase(url, database));

  const run = (serial: boolean) => runQueryBench({ url, rows: 3000, months: 3, clients: 2, iterations: 2, database, serial, log: () => {} });

  it('runs each silver-layer query on every client; --serial turns parallel plans off in their sessions', async () => {
    // The database's own default is 3, so neither half passes by the server's default.
    await createServerDatabase(url, database, { ifMissing: true });
    const admin = await adminClient(url);
    await admin.query(`ALTER DATABASE ${database} SET max_parallel_workers_per_gather = 3`).finally(() => admin.end());

    const serial = await run(true);
    expect(serial.parallel_workers_per_gather).toBe(0);
    expect(Object.keys(serial.queries)).toEqual([
      'latest_month', 'containment_quarter', 'containment_rare_quarter', 'ingested_since', 'counts_per_day_year', 'record_history',
    ]);
    for (const q of Object.values(serial.queries)) expect(q.samples).toBe(4);
    expect(serial.rows).toBeGreaterThanOrEqual(3000);
    expect(serial.slowest_explain).toMatch(/Execution Time/);

    const parallel = await run(false);
    expect(parallel.load_seconds).toBeUndefined(); // the data of the first run, reused
    expect(parallel.parallel_workers_per_gather).toBe(3);
  });
});
