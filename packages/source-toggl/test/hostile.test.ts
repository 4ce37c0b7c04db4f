import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostileBody, runHostileSuite, startFixtureServer, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll } from 'vitest';
import toggl from '../src/index.js';
import { env, START_DATE, togglScenario } from './toggl-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

// Toggl's declared budget (1 request/s) would make each run take half a minute here.
const fast = { ...toggl, rateLimit: undefined };
const TE = '/api/v9/me/time_entries';
/** A real time entry: the hostile records are built on it, so the schema judges only what they change. */
const [entry] = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'time-entries-window-1.json'), 'utf8')) as Record<string, unknown>[];

/**
 * The hostile-input suite (issue 17) on time_entries: the hostile records are the body of the
 * first backfill window and of `since` (what later runs ask), every other window is empty,
 * and the reference streams answer their usual fixtures.
 */
runHostileSuite({
  name: 'toggl time_entries',
  source: fast,
  stream: 'time_entries',
  endpoint: TE,
  fields: { id: 'id', timestamp: 'start', base: entry, integerIds: true },
  async serve(name, records) {
    const text = hostileBody(records);
    const usual = togglScenario();
    server.load({
      ...usual,
      fixtures: [
        ...usual.fixtures.filter((f) => f.request.path !== TE),
        { name: `${name}: first window`, request: { path: TE, query: { start_date: `${START_DATE}T00:00:00Z`, end_date: '*' } }, response: { text }, times: 'always' },
        { name: `${name}: since`, request: { path: TE, query: { since: { regex: '^\\d+$' } } }, response: { text }, times: 'always' },
        { name: 'empty windows', request: { path: TE, query: { start_date: '*', end_date: '*' } }, response: { body: [] }, times: 'always' },
      ],
    });
    // 92-day windows: a dozen requests from START_DATE to today.
    return { env: env(server.url, { TOGGL_WINDOW_DAYS: '92' }) };
  },
});
