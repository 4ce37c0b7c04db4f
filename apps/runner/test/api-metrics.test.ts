import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineSource, silentLogger, Type, loadSettings } from '@bronze/core';
import { describeEachEngine, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig, type BronzeConfig } from '../src/config/load-config.js';
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
    serve = await startServe({ config, database: db(), port: 0, settings: loadSettings({ env }), logger: silentLogger() });
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
    expect(sample(m, 'bronze_rate_limit_waits_total', { source: 'toggl', kind: 'retry' })).toBe(1);
    expect(sample(m, 'bronze_rate_limit_wait_seconds_total', { source: 'toggl', kind: 'retry' })).toBeGreaterThanOrEqual(1);
    expect(sample(m, 'bronze_records_ingested_total', { source: 'toggl', stream: 'me' })).toBe(1);

    const health = (await get(`${serve.http!.url}/health`)).text;
    for (const body of [text, health]) {
      expect(body).not.toContain(TOKEN);
      expect(body).not.toContain(BASIC);
    }
  });
});

/** A test-only API source: two calls in one run, with a budget of one request per 3 s. */
const ticker = defineSource({
  name: 'ticker',
  version: '0.0.1',
  description: 'two ticks from a local server',
  config: Type.Object({}),
  configure: () => ({}),
  rateLimit: { requests: 1, perMilliseconds: 3000 },
  streams: () => [
    {
      name: 'ticks',
      schema: Type.Object({ n: Type.Number() }),
      id: (r: { n: number }) => String(r.n),
      async *read(_args, ctx) {
        for (let i = 0; i < 2; i++) yield (await ctx.http.json<{ n: number }>({ path: '/tick', query: { i } })).body;
      },
    },
  ],
});

describeEachEngine('request budget metrics', (db) => {
  it('counts the time the request budget held requests back', async () => {
    const api = await startFixtureServer({
      fixtures: [
        { request: { path: '/tick', query: { i: '0' } }, response: { body: { n: 0 } } },
        { request: { path: '/tick', query: { i: '1' } }, response: { body: { n: 1 } } },
      ],
    });
    const project = tempProject('sources: {}\n');
    const config: BronzeConfig = { path: 'test', missedRuns: 'skip', serve: {}, sources: [{ name: 'ticker', source: ticker, settings: { schedule: '0 0 1 1 *' } }] };
    const serve = await startServe({ config, database: db(), port: 0, settings: loadSettings({ env: { ...project.env, TICKER_BASE_URL: api.url } }), logger: silentLogger() });
    try {
      expect((await serve.scheduler.runNow('ticker')).result).toBe('succeeded');
      api.verify();
      const m = parseMetrics((await get(`${serve.http!.url}/metrics`)).text);
      expect(sample(m, 'bronze_api_requests_total', { source: 'ticker', status: '200' })).toBe(2);
      expect(sample(m, 'bronze_rate_limit_waits_total', { source: 'ticker', kind: 'budget' })).toBe(1);
      expect(sample(m, 'bronze_rate_limit_wait_seconds_total', { source: 'ticker', kind: 'budget' })).toBeGreaterThan(0);
      expect(sample(m, 'bronze_rate_limit_waits_total', { source: 'ticker', kind: 'retry' })).toBeUndefined();
    } finally {
      await serve.stop();
      await api.close();
    }
  });
});
