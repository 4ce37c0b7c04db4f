import { dropServerDatabase, parallelWorkersPerGather } from '@bronze/core';
import pg from 'pg';
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
    const serial = await run(true);
    expect(serial.parallel_workers_per_gather).toBe(0);
    expect(Object.keys(serial.queries)).toEqual([
      'latest_month', 'containment_quarter', 'containment_rare_quarter', 'ingested_since', 'counts_per_day_year', 'record_history',
    ]);
    for (const q of Object.values(serial.queries)) expect(q.samples).toBe(4);
    expect(serial.rows).toBeGreaterThanOrEqual(3000);
    expect(serial.slowest_explain).toMatch(/Execution Time/);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const serverDefault = await parallelWorkersPerGather(client);
    await client.end();
    const parallel = await run(false);
    expect(parallel.load_seconds).toBeUndefined(); // the data of the first run, reused
    expect(parallel.parallel_workers_per_gather).toBe(serverDefault);
  });
});
