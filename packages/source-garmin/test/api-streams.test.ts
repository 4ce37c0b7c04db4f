import { ingest, type IngestOptions } from '@bronze/core';
import { countRows, createTestDatabase, describeOneEngine, startFixtureServer, type Fixture, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { ALL_SECRETS, capturingLogger, garminEnv, OLD_ACCESS, recorded, replay, writeTokenFile } from './helpers/connect-api.js';

let server: FixtureServer;
let tokenFile: string;
const { logger, lines } = capturingLogger();
beforeAll(async () => {
  server = await startFixtureServer();
  tokenFile = writeTokenFile();
});
afterAll(() => server.close());

const day = (d: string) => new Date(`${d}T00:00:00Z`);
const run = (db: Parameters<typeof ingest>[0], o: IngestOptions) => ingest(db, garmin, { logger, env: garminEnv(server.url, tokenFile, { GARMIN_PAGE_SIZE: '2' }), ...o });
const summaryOn = (date: string, body: unknown): Fixture => ({ name: `summary ${date}`, request: { path: '/usersummary-service/usersummary/daily/', query: { calendarDate: date } }, response: { body }, times: 'always' });

describeOneEngine('garmin Connect API streams', (db, engine) => {
  it('pages through the activity list (limit/start) and stores activities oldest first with their cursor', async () => {
    server.load({
      fixtures: [
        replay('garth_test_activity_list_pagination.0'),
        replay('garth_test_activity_list_pagination.1'),
        { name: 'empty page', request: { path: '/activitylist-service/activities/search/activities', query: { limit: '2', start: '4' } }, response: { body: [] } },
      ],
      expectAuthorization: `Bearer ${OLD_ACCESS}`,
    });
    const r = await run(db(), { streams: ['activities'] });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(4);
    expect(server.requests.map((q) => q.query.start)).toEqual(['0', '2', '4']);
    const rows = await db().withSession((s) => s.query<{ raw_id: string; id: string }>(`SELECT raw_id, id::text FROM bronze_garmin WHERE stream = 'activities' ORDER BY id`));
    expect(rows.map((x) => x.raw_id)).toEqual(['21413444039', '21419635589', '21461718086', '21482825013']);
    const [state] = await db().withSession((s) => s.query<{ cursor: { cursor: string } }>(`SELECT cursor FROM bronze_state WHERE source = 'garmin' AND stream = 'activities'`));
    expect(state.cursor).toEqual({ cursor: '2026-01-08T14:10:21.000Z' });
  });

  it('the next run asks only from the cursor minus the overlap days, and stores nothing unchanged', async () => {
    server.load({
      fixtures: [{ name: 'since cursor', request: { path: '/activitylist-service/activities/search/activities', query: { startDate: '2026-01-05', limit: '2', start: '0' } }, response: { body: recorded('garth_test_activity_get.0').body } }],
    });
    const r = await run(db(), { streams: ['activities'] });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r).toMatchObject({ seen: 1, inserted: 0 });
    server.verify();
  });

  it('activity_details fetches each listed activity', async () => {
    const listed = recorded('garth_test_activity_get.0').body[0];
    // No recorded detail response: the detail is the activity with the summaryDTO shape the endpoint uses.
    const detail = { activityId: listed.activityId, activityName: listed.activityName, userProfileId: 2591602, summaryDTO: { startTimeGMT: '2026-01-08T14:10:21.0', distance: listed.distance, duration: listed.duration } };
    server.load({
      fixtures: [
        { name: 'list', request: { path: '/activitylist-service/activities/search/activities', query: { startDate: '2026-01-08', limit: '2', start: '0' } }, response: { body: [listed] } },
        { name: 'detail', request: { path: `/activity-service/activity/${listed.activityId}` }, response: { body: detail } },
      ],
    });
    const r = await run(db(), { streams: ['activity_details'], since: day('2026-01-08') });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(1);
    server.verify();
  });

  it('reads every day-keyed stream from its recorded response', async () => {
    server.load({
      fixtures: [
        replay('garth_test_hrv_data_get.0'),
        replay('garth_test_daily_body_battery_stress_get.0'),
        replay('garth_test_training_readiness_data_get.0'),
        replay('garth_test_daily_heart_rate_get.0'),
        replay('garth_test_weight_data_list.0'),
        replay('garth_test_daily_steps.0'),
        replay('garth_test_daily_stress.0'),
        replay('garth_test_sleep_data_get.0'),
        { name: 'sleep', request: { path: '/wellness-service/wellness/dailySleepData/mtamizi', query: { date: '2023-07-20', nonSleepBufferMinutes: '60' } }, response: { body: { dailySleepDTO: { id: 1689890460000, userProfilePK: 2591602, calendarDate: '2023-07-20', sleepTimeSeconds: 25920, sleepStartTimestampGMT: 1689890460000, sleepEndTimestampGMT: 1689917100000, deepSleepSeconds: 4980 }, sleepMovement: [], remSleepData: true } } },
      ],
      expectAuthorization: `Bearer ${OLD_ACCESS}`,
    });
    const one = (stream: string, d: string, until = d) => run(db(), { streams: [stream], since: day(d), until: new Date(day(until).getTime() + 86_400_000) });
    const results = {
      hrv: await one('hrv', '2023-07-20'),
      body_battery: await one('body_battery', '2023-07-20'),
      training_readiness: await one('training_readiness', '2025-07-07'),
      heart_rate: await one('heart_rate', '2026-01-07'),
      weight: await one('weight', '2025-06-01', '2025-06-15'),
      steps: await one('steps', '2023-07-01', '2023-07-20'),
      stress: await one('stress', '2023-07-01', '2023-07-20'),
      sleep: await one('sleep', '2023-07-20'),
    };
    for (const [name, r] of Object.entries(results)) expect(r.status, `${name}: ${r.errors.join('; ')}`).toBe('succeeded');
    expect(Object.fromEntries(Object.entries(results).map(([k, r]) => [k, r.inserted]))).toEqual({
      hrv: 1, body_battery: 1, training_readiness: recorded('garth_test_training_readiness_data_get.0').body.length, heart_rate: 1,
      weight: recorded('garth_test_weight_data_list.0').body.dailyWeightSummaries.length, steps: 20, stress: 20, sleep: 1,
    });
    const invalid = await countRows(db(), 'garmin', `validation_status <> 'valid'`);
    expect(invalid).toBe(0);
    const apiCols = await db().withSession((s) => s.query<{ api_endpoint: string; api_response_code: number }>(`SELECT api_endpoint, api_response_code FROM bronze_garmin WHERE stream = 'hrv'`));
    expect(apiCols).toEqual([{ api_endpoint: '/hrv-service/hrv/2023-07-20', api_response_code: 200 }]);
  });

  it('overlap re-read: unchanged days insert nothing, a revised day adds one new version', async () => {
    const body = recorded('garth_test_daily_summary_get.2').body;
    const empty = ['2025-06-11', '2025-06-12', '2025-06-13'].map((d) => summaryOn(d, null));
    server.load({ fixtures: [summaryOn('2025-06-14', body)] });
    const until = day('2025-06-15');
    // The first run starts at GARMIN_START_DATE; its cursor is the last day read (2025-06-14).
    const first = await ingest(db(), garmin, { logger, env: garminEnv(server.url, tokenFile, { GARMIN_START_DATE: '2025-06-14' }), streams: ['daily_summaries'], until });
    expect(first.inserted).toBe(1);

    // No --since: from the cursor (2025-06-14) minus GARMIN_OVERLAP_DAYS (3).
    server.load({ fixtures: [...empty, summaryOn('2025-06-14', body)] });
    const again = await run(db(), { streams: ['daily_summaries'], until });
    expect(again).toMatchObject({ seen: 1, inserted: 0, unchanged: 1 });
    expect(server.requests.map((q) => q.query.calendarDate)).toEqual(['2025-06-11', '2025-06-12', '2025-06-13', '2025-06-14']);

    server.load({ fixtures: [...empty, summaryOn('2025-06-14', { ...body, totalSteps: body.totalSteps + 1234, lastSyncTimestampGMT: '2025-06-15T07:00:00.0' })] });
    const revised = await run(db(), { streams: ['daily_summaries'], until });
    expect(revised).toMatchObject({ seen: 1, inserted: 1 });
    const versions = await db().withSession((s) => s.query<{ version: number; steps: number }>(
      `SELECT version, (raw_data->>'totalSteps')::int AS steps FROM bronze_garmin WHERE stream = 'daily_summaries' AND raw_id = '2025-06-14' ORDER BY version`,
    ));
    expect(versions).toEqual([{ version: 1, steps: body.totalSteps }, { version: 2, steps: body.totalSteps + 1234 }]);

    // An explicit --since range re-reads its days and leaves the cursor where it was.
    server.load({ fixtures: [summaryOn('2025-06-01', null)] });
    await run(db(), { streams: ['daily_summaries'], since: day('2025-06-01'), until: day('2025-06-02') });
    const [state] = await db().withSession((s) => s.query<{ cursor: unknown }>(`SELECT cursor FROM bronze_state WHERE source = 'garmin' AND stream = 'daily_summaries'`));
    expect(state.cursor).toEqual({ day: '2025-06-14' });
  });

  it('a stream with no data at all saves a cursor, so the next run reads only the overlap days', async () => {
    const noHrv = (from: number, to: number): Fixture[] =>
      Array.from({ length: to - from + 1 }, (_, i) => `2025-05-${String(from + i).padStart(2, '0')}`)
        .map((d) => ({ name: `no hrv ${d}`, request: { path: `/hrv-service/hrv/${d}` }, response: { body: null } }));
    server.load({ fixtures: noHrv(1, 20) });
    const env = garminEnv(server.url, tokenFile, { GARMIN_START_DATE: '2025-05-01' });
    const until = day('2025-05-21');
    const fresh = await createTestDatabase(engine); // no hrv cursor from the tests above
    try {
      expect(await ingest(fresh, garmin, { logger, env, streams: ['hrv'], until })).toMatchObject({ status: 'succeeded', seen: 0 });
      expect(server.requests.length).toBe(20);
      server.load({ fixtures: noHrv(17, 20) });
      await ingest(fresh, garmin, { logger, env, streams: ['hrv'], until });
      expect(server.requests.map((q) => q.path)).toEqual(['17', '18', '19', '20'].map((d) => `/hrv-service/hrv/2025-05-${d}`));
    } finally {
      await fresh.close();
    }
  });

  it('no token reaches the logs, the rows or the run records', async () => {
    const text = await db().withSession(async (s) => {
      const rows = await s.query<{ t: string }>(`SELECT row_to_json(b)::text AS t FROM bronze_garmin b`);
      const runs = await s.query<{ t: string }>(`SELECT row_to_json(r)::text AS t FROM bronze_runs r`);
      const state = await s.query<{ t: string }>(`SELECT row_to_json(x)::text AS t FROM bronze_state x`);
      return [...rows, ...runs, ...state].map((r) => r.t).join('\n');
    });
    expect(text.length).toBeGreaterThan(1000);
    for (const secret of ALL_SECRETS) {
      expect(text).not.toContain(secret);
      expect(lines.join('\n')).not.toContain(secret);
    }
  });
});
