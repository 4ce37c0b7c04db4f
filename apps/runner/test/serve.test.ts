import { networkInterfaces } from 'node:os';
import { createConnection } from 'node:net';
import { silentLogger, loadSettings } from '@bronze/core';
import { createTestDatabase, describeEachEngine, testEngines } from '@bronze/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { eventually, get, MANUAL_CONFIG, parseMetrics, sample, tempProject } from './helpers.js';

const FAKE_TOKEN = 'fake-toggl-token-5f3a9c1e77';
const FAKE_PASS = 'fake-db-pass-0c8d21';

describeEachEngine('bronze serve', (db) => {
  let serve: ServeHandle;
  let url: string;

  beforeAll(async () => {
    // A schedule that never comes due during the test: runs are triggered through the scheduler.
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    const env = { ...project.env, TOGGL_API_TOKEN: FAKE_TOKEN, PG_PASS: FAKE_PASS, GARMIN_PASSWORD: FAKE_PASS };
    serve = await startServe({ config: project.config, database: db(), port: 0, settings: loadSettings({ env }), logger: silentLogger() });
    url = serve.http!.url;
  });
  afterAll(() => serve?.stop());

  it('binds to loopback by default', () => {
    expect(serve.http!.address.address).toBe('127.0.0.1');
  });

  it('answers /health with the database, data directory and each source', async () => {
    const res = await get(`${url}/health`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/application\/json/);
    const health = JSON.parse(res.text);
    expect(health.status).toBe('ok');
    expect(health.database.reachable).toBe(true);
    expect(health.data_directory.writable).toBe(true);
    const manual = health.sources.find((s: { source: string }) => s.source === 'manual');
    expect(manual).toMatchObject({ schedule: '0 0 1 1 *', enabled: true, running: false });
    expect(manual.next_run).toMatch(/^\d{4}-01-01T00:00:00\.000Z$/);
  });

  it('answers /metrics as Prometheus text that changes after a run', async () => {
    const before = await get(`${url}/metrics`);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const b = parseMetrics(before.text);
    expect(sample(b, 'bronze_database_up')).toBeDefined();
    expect(sample(b, 'bronze_runs_total', { source: 'manual' })).toBeUndefined();
    // Node's default metrics carry the bronze_ prefix once: bronze_process_*, bronze_nodejs_*.
    const names = b.map((f) => f.name);
    expect(names).toContain('bronze_process_cpu_user_seconds_total');
    expect(names).toContain('bronze_nodejs_heap_size_used_bytes');
    expect(names.filter((n) => /^bronze_process_process_|^bronze_process_nodejs_/.test(n))).toEqual([]);

    const outcome = await serve.scheduler.runNow('manual');
    expect(outcome).toMatchObject({ source: 'manual', result: 'succeeded' });

    const afterText = (await get(`${url}/metrics`)).text;
    const after = parseMetrics(afterText);
    expect(sample(after, 'bronze_runs_total', { source: 'manual', result: 'succeeded' })).toBe(1);
    expect(sample(after, 'bronze_records_ingested_total', { source: 'manual', stream: 'weights', validation_status: 'valid' })).toBe(3);
    expect(sample(after, 'bronze_records_seen_total', { source: 'manual', outcome: 'seen' })).toBe(3);
    // The parser keeps a histogram's buckets but not its labels: check the labelled count line too.
    expect(after.find((f) => f.name === 'bronze_run_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(afterText).toMatch(/^bronze_run_duration_seconds_count\{source="manual",status="succeeded"\} 1$/m);
    expect(sample(after, 'bronze_last_success_timestamp_seconds', { source: 'manual' })).toBeGreaterThan(Date.now() / 1000 - 3600);

    const health = JSON.parse((await get(`${url}/health`)).text);
    const manual = health.sources.find((s: { source: string }) => s.source === 'manual');
    expect(manual.last_run.status).toBe('succeeded');
    expect(manual.freshness_seconds).toBeGreaterThanOrEqual(0);
    expect(manual.streams).toEqual([expect.objectContaining({ stream: 'weights', rows: 3, invalid: 0 })]);
  });

  it('skips a tick while the previous run of the source is still going', async () => {
    const [first, second] = await Promise.all([serve.scheduler.runNow('manual'), serve.scheduler.runNow('manual')]);
    expect(first.result).toBe('succeeded');
    expect(second.result).toBe('skipped_busy');
    const m = parseMetrics((await get(`${url}/metrics`)).text);
    expect(sample(m, 'bronze_runs_total', { source: 'manual', result: 'skipped_busy' })).toBe(1);
  });

  it('reveals no secret from the environment on any endpoint', async () => {
    for (const path of ['/health', '/metrics', '/nope']) {
      const { text } = await get(`${url}${path}`);
      expect(text).not.toContain(FAKE_TOKEN);
      expect(text).not.toContain(FAKE_PASS);
    }
  });

  it('answers only GET /health and /metrics', async () => {
    expect((await get(`${url}/`)).status).toBe(404);
    expect((await fetch(`${url}/health`, { method: 'POST' })).status).toBe(405);
  });
});

/** The first non-loopback IPv4 address of this machine, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

describe('bronze serve binding', () => {
  const external = externalAddress();
  it.runIf(external)('cannot be reached on another interface unless --host says so', async () => {
    const db = await createTestDatabase(testEngines()[0]);
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    const serve = await startServe({ config: project.config, database: db, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger() });
    try {
      const port = serve.http!.address.port;
      const refused = await new Promise<string>((resolve) => {
        const socket = createConnection({ host: external, port });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
      });
      expect(refused).toBe('ECONNREFUSED');
      expect((await get(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      await serve.stop();
      await db.close();
    }
  });

  it('runs a source when its cron schedule comes due', async () => {
    const db = await createTestDatabase(testEngines()[0]);
    const project = tempProject(MANUAL_CONFIG('* * * * * *', 'missedRuns: skip'));
    const serve = await startServe({ config: project.config, database: db, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger() });
    try {
      const url = serve.http!.url;
      const ran = await eventually(async () => {
        const m = parseMetrics((await get(`${url}/metrics`)).text);
        return sample(m, 'bronze_runs_total', { source: 'manual', result: 'succeeded' });
      });
      expect(ran).toBeGreaterThanOrEqual(1);
      const m = parseMetrics((await get(`${url}/metrics`)).text);
      expect(sample(m, 'bronze_records_ingested_total', { source: 'manual', stream: 'weights', validation_status: 'valid' })).toBe(3);
    } finally {
      await serve.stop();
      await db.close();
    }
  });
});

describe('missed-run policy', () => {
  const runs = async (serve: ServeHandle) =>
    sample(parseMetrics((await get(`${serve.http!.url}/metrics`)).text), 'bronze_runs_total', { source: 'manual', result: 'succeeded' }) ?? 0;

  it('catch-up runs a source once at start when its last run is older than its latest scheduled time, and only then', async () => {
    // Everything started is stopped in finally, so a failing assertion leaves nothing running.
    const opened: { close(): Promise<void> }[] = [];
    const serving: ServeHandle[] = [];
    const serve = async (...a: Parameters<typeof startServe>) => {
      const h = await startServe(...a);
      serving.push(h);
      return h;
    };
    try {
      const db = await createTestDatabase(testEngines()[0]);
      opened.push(db);
      // Yearly on 1 January: the latest scheduled time is in the past, the next far away.
      const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: catch-up'));
      const first = await serve({ config: project.config, database: db, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger() });
      await first.caughtUp;
      expect(await runs(first)).toBe(1); // never ran: caught up
      await first.stop();

      const second = await serve({ config: project.config, database: db, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger() });
      await second.caughtUp;
      expect(await runs(second)).toBe(0); // ran after the latest scheduled time: nothing to catch up
      await second.stop();

      const skipping = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
      const fresh = await createTestDatabase(testEngines()[0]);
      opened.push(fresh);
      const third = await serve({ config: skipping.config, database: fresh, port: 0, settings: loadSettings({ env: skipping.env }), logger: silentLogger() });
      await third.caughtUp;
      expect(await runs(third)).toBe(0); // skip: wait for the next tick even though it never ran
      await third.stop();
    } finally {
      for (const h of serving) await h.stop().catch(() => undefined);
      for (const d of opened) await d.close().catch(() => undefined);
    }
  }, 600_000);
});
