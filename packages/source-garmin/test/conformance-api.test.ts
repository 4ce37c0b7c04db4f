import { runConformance, startFixtureServer, type Fixture, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll } from 'vitest';
import garmin from '../src/index.js';
import { capturingLogger, garminEnv, OLD_ACCESS, recorded, replay, writeTokenFile } from './helpers/connect-api.js';

let server: FixtureServer;
let tokenFile: string;
beforeAll(async () => {
  server = await startFixtureServer();
  tokenFile = writeTokenFile();
});
afterAll(() => server.close());

const listPage = (name: string): Fixture => ({ ...replay(name), request: { ...replay(name).request, anyQuery: true } });
const fixtures: Fixture[] = [
  listPage('garth_test_activity_list_pagination.0'),
  listPage('garth_test_activity_list_pagination.1'),
  { name: 'last page', request: { path: '/activitylist-service/activities/search/activities', query: { start: '4' }, anyQuery: true }, response: { body: [] }, times: 'always' },
  replay('garth_test_hrv_data_get.0'),
  replay('garth_test_daily_body_battery_stress_get.0'),
  { name: 'steps', request: { path: '/usersummary-service/stats/steps/daily/2023-07-20/2023-07-20' }, response: { body: recorded('garth_test_daily_steps.0').body }, times: 'always' },
  { name: 'stress', request: { path: '/usersummary-service/stats/stress/daily/2023-07-20/2023-07-20' }, response: { body: recorded('garth_test_daily_stress.0').body }, times: 'always' },
];

// The Connect API path through the shared suite: activities (paged) and day-keyed streams.
runConformance({
  source: garmin,
  beforeRun: () => server.load({ fixtures, expectAuthorization: `Bearer ${OLD_ACCESS}` }),
  options: () => ({
    streams: ['activities', 'hrv', 'body_battery', 'steps', 'stress'],
    since: new Date('2023-07-20T00:00:00Z'),
    until: new Date('2023-07-21T00:00:00Z'),
    env: garminEnv(server.url, tokenFile, { GARMIN_PAGE_SIZE: '2' }),
    logger: capturingLogger().logger,
  }),
});
