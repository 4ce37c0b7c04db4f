import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger, loadSettings } from '@bronze/core';
import { describeEachEngine, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { sources } from '../src/sources.js';
import { FIXTURES, get, parseMetrics, sample, tempProject } from './helpers.js';

const TOKEN = 'fake-toggl-token-for-ops-metrics-77cd';
const BASIC = Buffer.from(`${TOKEN}:api_token`).toString('base64');
// Hourly: the interval the "not succeeding within 2x its schedule" alert compares with.
const CONFIG = `
missedRuns: skip
sources:
  toggl:
    schedule: "0 * * * *"
    streams: [me]
`;

describeEachEngine('ops metrics for alerts', (db) => {
  let api: FixtureServer;
  let serve: ServeHandle;

  beforeAll(async () => {
    const me = JSON.parse(readFileSync(join(FIXTURES, 'toggl-me.json'), 'utf8'));
    api = await startFixtureServer({
      expectAuthorization: `Basic ${BASIC}`,
      fixtures: [
        // A revoked token twice (Toggl answers 403 with a text body), then a success carrying Toggl's quota headers.
        { name: 'forbidden 1', request: { path: '/api/v9/me' }, response: { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Incorrect username and/or password' } },
        { name: 'forbidden 2', request: { path: '/api/v9/me' }, response: { status: 403, headers: { 'content-type': 'text/plain' }, body: 'Incorrect username and/or password' } },
        { name: 'me', request: { path: '/api/v9/me' }, response: { status: 200, headers: { 'x-toggl-quota-remaining': '2', 'x-toggl-quota-resets-in': '1700' }, body: me } },
      ],
    });
    const project = tempProject('sources: {}\n');
    const env = { ...project.env, TOGGL_API_TOKEN: TOKEN, TOGGL_BASE_URL: api.url };
    const config = parseConfig(CONFIG, join(project.root, 'bronze.config.yaml'), Object.values(sources));
    serve = await startServe({ config, database: db(), port: 0, settings: loadSettings({ env }), logger: silentLogger() });
  }, 120_000);
  afterAll(async () => {
    await serve?.stop();
    await api?.close();
  });

  const scrape = async () => {
    const res = await get(`${serve.http!.url}/metrics`);
    expect(res.status).toBe(200);
    return parseMetrics(res.text);
  };

  it('counts consecutive failures from the database, resets them on success, and shows quota, sizes and ages', async () => {
    expect((await serve.scheduler.runNow('toggl')).result).toBe('failed');
    expect((await serve.scheduler.runNow('toggl')).result).toBe('failed');
    const runs = await db().withSession((s) => s.query<{ status: string }>(`SELECT status FROM bronze_runs WHERE source = 'toggl' ORDER BY started_at`));
    expect(runs.map((r) => r.status)).toEqual(['failed', 'failed']);
    let m = await scrape();
    expect(sample(m, 'bronze_source_consecutive_failures', { source: 'toggl' })).toBe(2);
    expect(sample(m, 'bronze_source_schedule_interval_seconds', { source: 'toggl' })).toBe(3600);

    expect((await serve.scheduler.runNow('toggl')).result).toBe('succeeded');
    api.verify();
    m = await scrape();
    expect(sample(m, 'bronze_source_consecutive_failures', { source: 'toggl' })).toBe(0);
    const [{ finished }] = await db().withSession((s) =>
      s.query<{ finished: Date }>(`SELECT finished_at AS finished FROM bronze_runs WHERE source = 'toggl' AND status = 'succeeded'`));
    expect(sample(m, 'bronze_last_success_timestamp_seconds', { source: 'toggl' })).toBeCloseTo(new Date(finished).getTime() / 1000, 0);
    expect(sample(m, 'bronze_source_records_ingested', { source: 'toggl' })).toBe(1);
    expect(sample(m, 'bronze_source_records_invalid', { source: 'toggl' })).toBe(0);
    expect(sample(m, 'bronze_source_records_warning', { source: 'toggl' })).toBe(0);
    // Toggl states what is left and when it resets, not the quota itself.
    expect(sample(m, 'bronze_rate_limit_remaining', { source: 'toggl' })).toBe(2);
    expect(sample(m, 'bronze_rate_limit_reset_seconds', { source: 'toggl' })).toBe(1700);
    expect(sample(m, 'bronze_rate_limit_limit', { source: 'toggl' })).toBeUndefined();

    const [{ bytes }] = await db().withSession((s) =>
      s.query<{ bytes: string }>(`SELECT sum(pg_total_relation_size(relid))::text AS bytes FROM pg_partition_tree('bronze_toggl')`));
    expect(sample(m, 'bronze_table_bytes', { table: 'bronze_toggl' })).toBe(Number(bytes));
    expect(sample(m, 'bronze_table_bytes', { table: 'bronze_runs' })).toBeGreaterThan(0);
    expect(sample(m, 'bronze_database_bytes')).toBeGreaterThanOrEqual(Number(bytes));
    expect(sample(m, 'bronze_oldest_running_run_age_seconds')).toBe(0);
    expect(sample(m, 'bronze_data_directory_available_bytes')).toBeGreaterThan(0);
    expect(sample(m, 'bronze_ops_metrics_collected_timestamp_seconds')).toBeGreaterThan(0);

    // A run left `running` by a dead process shows its age.
    await db().withSession((s) => s.query(`INSERT INTO bronze_runs (source, started_at) VALUES ('toggl', now() - interval '2 hours')`));
    m = await scrape();
    expect(sample(m, 'bronze_oldest_running_run_age_seconds')).toBeGreaterThanOrEqual(7200);
    await db().withSession((s) => s.query(`UPDATE bronze_runs SET status = 'abandoned', finished_at = now() WHERE status = 'running'`));

    // Label cardinality: sources and tables only.
    const labels = new Set(m.flatMap((f) => f.metrics.flatMap((x) => Object.keys(x.labels ?? {}))));
    for (const l of labels) expect(['source', 'table', 'stream', 'status', 'result', 'kind', 'outcome', 'validation_status', 'le', 'version', 'major', 'minor', 'patch', 'type', 'space']).toContain(l);
  });
});
