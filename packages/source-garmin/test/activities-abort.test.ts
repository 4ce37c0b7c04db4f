import { ingest } from '@bronze/core';
import { createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, type Fixture, type FixtureServer, type Scenario } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { capturingLogger, garminEnv, OLD_ACCESS, recorded, replay, writeTokenFile } from './helpers/connect-api.js';

// The in-process twin of activities-interrupt.test.ts (which sends real signals to a child
// process): the run's AbortSignal fires while the listing waits for its third page.
const LIST = '/activitylist-service/activities/search/activities';
const fast = { ...garmin, rateLimit: undefined };
const older = () =>
  recorded('garth_test_activity_list_pagination.0').body.map((a: Record<string, unknown>, i: number) => ({ ...a, activityId: 20000000000 + i, startTimeGMT: `2025-0${2 - i}-10 07:00:00`, startTimeLocal: `2025-0${2 - i}-10 08:00:00` }));
const page = (start: number, extra: Partial<Fixture>): Fixture => ({ name: `page ${start}`, request: { path: LIST, query: { limit: '2', start: String(start) } }, times: 'always', ...extra });
const account = (page2: Partial<Fixture> = { response: { body: older() } }): Scenario => ({
  expectAuthorization: `Bearer ${OLD_ACCESS}`,
  fixtures: [replay('garth_test_activity_list_pagination.0'), replay('garth_test_activity_list_pagination.1'), page(4, page2), page(6, { response: { body: [] } })],
});

let server: FixtureServer;
let tokenFile: string;
beforeAll(async () => {
  server = await startFixtureServer();
  tokenFile = writeTokenFile();
});
afterAll(() => server.close());

describeOneEngine('an aborted first activity listing', (db, engine) => {
  it('stores nothing of it and sets no cursor; the re-run gives the table of one clean run', async () => {
    const env = garminEnv(server.url, tokenFile, { GARMIN_PAGE_SIZE: '2' });
    const run = (signal?: AbortSignal) => ingest(db(), fast, { logger: capturingLogger().logger, env, streams: ['activities'], batchSize: 1, signal });
    const reference = await createTestDatabase(engine);
    try {
      server.load(account());
      await ingest(reference, fast, { logger: capturingLogger().logger, env, streams: ['activities'] });
      const clean = await tableSnapshot(reference, 'garmin');
      expect(clean).toHaveLength(6);

      const stop = new AbortController();
      server.load(account({ response: { body: [] }, fault: 'slow', delayMs: 60_000 }));
      const watcher = setInterval(() => server.requests.some((r) => r.answeredBy === 'page 4') && stop.abort(new Error('interrupted by the test')), 20);
      const stopped = await run(stop.signal).finally(() => clearInterval(watcher));
      expect(stopped.errors.join()).toMatch(/interrupted/);
      const [state] = await db().withSession((s) => s.query(`SELECT cursor FROM bronze_state WHERE source = 'garmin' AND stream = 'activities'`));
      expect(state).toBeUndefined();
      expect(await tableSnapshot(db(), 'garmin')).toEqual([]);

      server.load(account());
      expect((await run()).status).toBe('succeeded');
      expect(await tableSnapshot(db(), 'garmin')).toEqual(clean);
    } finally {
      await reference.close();
    }
  }, 300_000);
});
