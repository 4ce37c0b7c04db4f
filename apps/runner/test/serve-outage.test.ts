import { openDatabase, silentLogger, loadSettings } from '@bronze/core';
import { createTestDatabase, type TestDatabase } from '@bronze/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { eventually, get, MANUAL_CONFIG, parseMetrics, sample, tempProject } from './helpers.js';
import { TcpProxy } from './tcp-proxy.js';

const FAKE_PASS = 'fake-pg-pass-7e1b44';

// An outage needs a server that can go away: PostgreSQL behind a proxy this test controls.
describe.runIf(process.env.TEST_DATABASE_URL)('bronze serve when PostgreSQL goes away [postgres]', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let serve: ServeHandle | undefined;
  let proxiedUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase('postgres');
    const direct = new URL(db.env.DATABASE_URL);
    proxy = new TcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.open();
    const url = new URL(direct);
    url.port = String(proxy.port);
    url.password = FAKE_PASS; // the test server trusts local connections; the password must never show
    proxiedUrl = url.toString();
  });
  afterAll(async () => {
    await serve?.stop();
    await proxy?.close();
    await db?.close();
  });

  const health = async () => {
    const res = await get(`${serve!.http!.url}/health`);
    return { status: res.status, body: JSON.parse(res.text), text: res.text };
  };

  it('answers 503 with a reason while the database is down, keeps running and recovers', async () => {
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *', 'missedRuns: skip'));
    serve = await startServe({
      config: project.config, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger(), healthTimeoutMs: 3000,
      openDatabase: () => openDatabase({ url: proxiedUrl }),
    });
    expect((await health()).status).toBe(200);

    await proxy.close();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('unhealthy');
    expect(down.body.database.reachable).toBe(false);
    expect(down.body.reasons[0]).toMatch(/^database unreachable: .+/);
    expect(down.text).not.toContain(FAKE_PASS);
    const failed = await serve.scheduler.runNow('manual');
    expect(failed.result).toBe('failed');
    const metricsDown = await get(`${serve.http!.url}/metrics`);
    expect(metricsDown.status).toBe(200);
    expect(metricsDown.text).not.toContain(FAKE_PASS);
    const m = parseMetrics(metricsDown.text);
    expect(sample(m, 'bronze_database_up')).toBe(0);
    expect(sample(m, 'bronze_run_failures_total', { source: 'manual' })).toBe(1);

    await proxy.open();
    const back = await eventually(async () => {
      const h = await health();
      return h.status === 200 ? h : undefined;
    });
    expect(back.body.database.reachable).toBe(true);
    expect((await serve.scheduler.runNow('manual')).result).toBe('succeeded');
    expect(sample(parseMetrics((await get(`${serve.http!.url}/metrics`)).text), 'bronze_database_up')).toBe(1);
  });

  it('starts while the database is down and serves 503 until it comes up', async () => {
    await serve?.stop();
    await proxy.close();
    const project = tempProject(MANUAL_CONFIG('0 0 1 1 *'));
    serve = await startServe({
      config: project.config, port: 0, settings: loadSettings({ env: project.env }), logger: silentLogger(), healthTimeoutMs: 3000,
      openDatabase: () => openDatabase({ url: proxiedUrl }),
    });
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.reasons[0]).toContain('cannot connect to PostgreSQL');
    expect(down.text).not.toContain(FAKE_PASS);
    await proxy.open();
    await eventually(async () => ((await health()).status === 200 ? true : undefined));
  });

  it('skips a tick when another process holds the source', async () => {
    const other = new pg.Client({ connectionString: db.env.DATABASE_URL });
    await other.connect();
    try {
      const [{ locked }] = (await other.query(`SELECT pg_try_advisory_lock(hashtext('bronze_source:manual')) AS locked`)).rows;
      expect(locked).toBe(true);
      const outcome = await serve!.scheduler.runNow('manual');
      expect(outcome.result).toBe('skipped_locked');
      expect(outcome.error).toContain("another run of source 'manual' is in progress");
      const m = parseMetrics((await get(`${serve!.http!.url}/metrics`)).text);
      expect(sample(m, 'bronze_runs_total', { source: 'manual', result: 'skipped_locked' })).toBe(1);
    } finally {
      await other.end();
    }
    expect((await serve!.scheduler.runNow('manual')).result).toBe('succeeded');
  });
});
