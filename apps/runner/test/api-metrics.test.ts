import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '@bronze/core';
import { describeEachEngine, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '../src/config/load-config.js';
import { startServe, type ServeHandle } from '../src/serve/serve.js';
import { sources } from '../src/sources.js';
import { FIXTURES, get, parseMetrics, sample, tempProject } from './helpers.js';

const TOKEN = 'fake-toggl-token-for-metrics-91ab';
const BASIC = Buffer.from(`${TOKEN}:api_token`).toString('base64');
const CONFIG = `
missedRuns: skip
sources:
  toggl:
    schedule: "0 0 1 1 *"
    streams: [me]
`;

describeEachEngine('API metrics of scheduled runs', (db) => {
  let api: FixtureServer;
  let serve: ServeHandle;

  beforeAll(async () => {
    const me = JSON.parse(readFileSync(join(FIXTURES, 'toggl-me.json'), 'utf8'));
    api = await startFixtureServer({
      expectAuthorization: `Basic ${BASIC}`,
      fixtures: [
        { name: 'rate limited', request: { path: '/api/v9/me' }, response: { status: 429, headers: { 'retry-after': '1' }, body: { error: 'slow down' } } },
        { name: 'me', request: { path: '/api/v9/me' }, response: { status: 200, body: me } },
      ],
    });
    const project = tempProject('sources: {}\n');
    const env = { ...project.env, TOGGL_API_TOKEN: TOKEN, TOGGL_BASE_URL: api.url };
    const config = parseConfig(CONFIG, join(project.root, 'bronze.config.yaml'), Object.values(sources));
    serve = await startServe({ config, database: db(), port: 0, env, logger: silentLogger() });
  });
  afterAll(async () => {
    await serve?.stop();
    await api?.close();
  });

  it('counts API responses by status and the waits a 429 asked for, and shows no token', async () => {
    const outcome = await serve.scheduler.runNow('toggl');
    expect(outcome.error).toBeUndefined();
    expect(outcome.result).toBe('succeeded');
    api.verify();

    const text = (await get(`${serve.http!.url}/metrics`)).text;
    const m = parseMetrics(text);
    expect(sample(m, 'bronze_api_requests_total', { source: 'toggl', status: '429' })).toBe(1);
    expect(sample(m, 'bronze_api_requests_total', { source: 'toggl', status: '200' })).toBe(1);
    expect(sample(m, 'bronze_rate_limit_waits_total', { source: 'toggl' })).toBe(1);
    expect(sample(m, 'bronze_rate_limit_wait_seconds_total', { source: 'toggl' })).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'bronze_records_ingested_total', { source: 'toggl', stream: 'me' })).toBe(1);

    const health = (await get(`${serve.http!.url}/health`)).text;
    for (const body of [text, health]) {
      expect(body).not.toContain(TOKEN);
      expect(body).not.toContain(BASIC);
    }
  });
});
