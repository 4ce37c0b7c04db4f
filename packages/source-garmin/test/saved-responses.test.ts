import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ingest, silentLogger, type BronzeDatabase } from '@bronze/core';
import { createTestDatabase, describeOneEngine, startFixtureServer, type Fixture, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import garmin from '../src/index.js';
import { garminEnv, OLD_ACCESS, recorded, replay, writeTokenFile } from './helpers/connect-api.js';

let server: FixtureServer;
let tokenFile: string;
beforeAll(async () => {
  server = await startFixtureServer();
  tokenFile = writeTokenFile();
});
afterAll(() => server.close());

const logger = silentLogger();
const day = (d: string) => new Date(`${d}T00:00:00Z`);
// No sleep body among the recordings: the shape the sleep endpoint answers (as in api-streams.test.ts).
const SLEEP = { dailySleepDTO: { id: 1689890460000, userProfilePK: 2591602, calendarDate: '2023-07-20', sleepTimeSeconds: 25920, sleepStartTimestampGMT: 1689890460000, sleepEndTimestampGMT: 1689917100000, deepSleepSeconds: 4980 }, sleepMovement: [], remSleepData: true };

/** Bodies saved as a person would (garth's `connectapi(...)` dumped to JSON): file name → recording. */
const SAVED: Record<string, string> = {
  'hrv_2023-07-20.json': 'garth_test_hrv_data_get.0',
  'body-battery-2023-07-20.json': 'garth_test_daily_body_battery_stress_get.0',
  'training_readiness.json': 'garth_test_training_readiness_data_get.0',
  'heart_rate_2026-01-07.json': 'garth_test_daily_heart_rate_get.0',
  'weight.json': 'garth_test_weight_data_list.0',
  'steps.json': 'garth_test_daily_steps.0',
  'stress.json': 'garth_test_daily_stress.0',
  'daily_summary_2025-06-14.json': 'garth_test_daily_summary_get.2',
  'activities-page1.json': 'garth_test_activity_list_pagination.0',
  'activities-page2.json': 'garth_test_activity_list_pagination.1',
};
/** Responses no API stream reads: they stay whole in export_other. */
const UNRECOGNISED: Record<string, string> = {
  'user_settings.json': 'garth_test_user_settings.0',
  'hrv_range.json': 'garth_test_daily_hrv.0',
  'fitness_activities.json': 'garth_test_fitness_activity_list.0',
  'readiness_empty.json': 'garth_test_training_readiness_data_get.1',
  // Weekly step totals, [{calendarDate, values: {totalSteps…}}]: the daily stress list's outline, not its data.
  'steps_weekly.json': 'garth_test_weekly_steps.0',
};

function savedFiles(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'garmin-saved-'));
  const write = (name: string, body: unknown) => {
    writeFileSync(join(dir, name), JSON.stringify(body, null, 2));
    return join(dir, name);
  };
  return [
    ...Object.entries({ ...SAVED, ...UNRECOGNISED }).map(([name, rec]) => write(name, recorded(rec).body)),
    write('sleep-2023-07-20.json', SLEEP),
  ];
}

/** The same days read through the API, from the same recordings. */
async function readThroughApi(db: BronzeDatabase): Promise<void> {
  const list = '/activitylist-service/activities/search/activities';
  server.load({
    expectAuthorization: `Bearer ${OLD_ACCESS}`,
    fixtures: [
      ...Object.values(SAVED).filter((r) => !r.startsWith('garth_test_activity_list')).map((r) => replay(r)),
      { name: 'page 1', request: { path: list, query: { startDate: '2026-01-01', endDate: '2026-01-10', limit: '2', start: '0' } }, response: { body: recorded('garth_test_activity_list_pagination.0').body } },
      { name: 'page 2', request: { path: list, query: { startDate: '2026-01-01', endDate: '2026-01-10', limit: '2', start: '2' } }, response: { body: recorded('garth_test_activity_list_pagination.1').body } },
      { name: 'page 3', request: { path: list, query: { startDate: '2026-01-01', endDate: '2026-01-10', limit: '2', start: '4' } }, response: { body: [] } },
      { name: 'social', request: { path: '/userprofile-service/socialProfile' }, response: { body: recorded('garth_test_sleep_data_get.0').body }, times: 'always' },
      { name: 'sleep', request: { path: '/wellness-service/wellness/dailySleepData/mtamizi', query: { date: '2023-07-20', nonSleepBufferMinutes: '60' } }, response: { body: SLEEP } },
    ] as Fixture[],
  });
  const env = garminEnv(server.url, tokenFile, { GARMIN_PAGE_SIZE: '2' });
  const one = async (stream: string, from: string, to = from) => {
    const r = await ingest(db, garmin, { logger, env, streams: [stream], since: day(from), until: new Date(day(to).getTime() + 86_400_000) });
    expect(r.status, `${stream}: ${r.errors.join('; ')}`).toBe('succeeded');
  };
  await one('hrv', '2023-07-20');
  await one('body_battery', '2023-07-20');
  await one('training_readiness', '2025-07-07');
  await one('heart_rate', '2026-01-07');
  await one('weight', '2025-06-01', '2025-06-15');
  await one('steps', '2023-07-01', '2023-07-20');
  await one('stress', '2023-07-01', '2023-07-20');
  await one('daily_summaries', '2025-06-14');
  await one('sleep', '2023-07-20');
  await one('activities', '2026-01-01', '2026-01-10');
}

const identities = (db: BronzeDatabase) =>
  db.withSession((s) =>
    s.query<{ stream: string; raw_id: string; at: string | null; record_hash: string }>(
      `SELECT stream, raw_id, to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at, record_hash
       FROM bronze_garmin WHERE stream NOT LIKE 'export_%' ORDER BY stream, raw_id`,
    ),
  );

describeOneEngine('Connect API responses saved as files', (db, engine) => {
  it('land in the API streams with the raw_id, timestamp and hash the API path gives them', async () => {
    const r = await ingest(db(), garmin, { files: savedFiles(), logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid).toBe(0);
    // Responses no API stream reads are kept whole, as warnings the summary names.
    expect(r.warning).toBe(Object.keys(UNRECOGNISED).length);
    expect(r.files.unrecognised.map((u) => [basename(u.path), u.stream]).sort()).toEqual(Object.keys(UNRECOGNISED).map((n) => [n, 'export_other']).sort());
    const perStream = await db().withSession((s) => s.query<{ stream: string; n: number }>(`SELECT stream, count(*)::int AS n FROM bronze_garmin GROUP BY 1 ORDER BY 1`));
    expect(Object.fromEntries(perStream.map((x) => [x.stream, x.n]))).toEqual({
      // export_other: the unrecognised files, and the weight range's keys around its days (its `rest`).
      activities: 4, body_battery: 1, daily_summaries: 1, export_other: Object.keys(UNRECOGNISED).length + 1, heart_rate: 1, hrv: 1, sleep: 1,
      steps: recorded('garth_test_daily_steps.0').body.length, stress: recorded('garth_test_daily_stress.0').body.length,
      training_readiness: recorded('garth_test_training_readiness_data_get.0').body.length,
      weight: recorded('garth_test_weight_data_list.0').body.dailyWeightSummaries.length,
    });

    const viaApi = await createTestDatabase(engine);
    try {
      await readThroughApi(viaApi);
      const fromFiles = await identities(db());
      expect(fromFiles.length).toBeGreaterThan(50);
      expect(fromFiles.every((x) => x.at !== null)).toBe(true);
      expect(await identities(viaApi)).toEqual(fromFiles);
    } finally {
      await viaApi.close();
    }
    // And the API read after the files stores nothing again.
    const before = await identities(db());
    await readThroughApi(db());
    expect(await identities(db())).toEqual(before);
    const [{ n }] = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_garmin WHERE version > 1 OR lineage_type = 'api'`));
    expect(n).toBe(0);
  }, 300_000);

  it("a weight range keeps the keys around its days (totalAverage, previousDateWeight…); an empty range is stored, not '0 records'", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'garmin-weight-'));
    const files = ['garth_test_weight_data_list.0', 'garth_test_weight_data_list_empty.0'].map((rec) => {
      const path = join(dir, `${rec}.json`);
      writeFileSync(path, JSON.stringify(recorded(rec).body));
      return path;
    });
    const r = await ingest(db(), garmin, { files, logger, env: {} });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.files).toMatchObject({ imported: 2, failed: 0 });
    const rest = await db().withSession((s) =>
      s.query<{ raw_id: string; content: Record<string, unknown>; role: string }>(
        `SELECT raw_id, raw_data->'content' AS content, metadata->>'role' AS role FROM bronze_garmin WHERE stream = 'export_other' AND raw_id LIKE 'rest:garth_test_weight%' ORDER BY raw_id`,
      ),
    );
    // Every key of each body is stored: the days in weight, the rest here, nothing twice.
    for (const [i, rec] of ['garth_test_weight_data_list.0', 'garth_test_weight_data_list_empty.0'].entries()) {
      const { dailyWeightSummaries, ...others } = recorded(rec).body;
      expect(rest[i]).toMatchObject({ role: 'rest', content: others });
      expect(Object.keys(others)).toEqual(['totalAverage', 'previousDateWeight', 'nextDateWeight']);
      expect(dailyWeightSummaries.length).toBe(i === 0 ? 3 : 0);
    }
    // The 2025-05-31 weigh-in before the range is only in previousDateWeight: now stored.
    expect((rest[0].content.previousDateWeight as { calendarDate: string }).calendarDate).toBe('2025-05-31');
    expect(await ingest(db(), garmin, { files, logger, env: {}, force: true })).toMatchObject({ inserted: 0 });
  });

  it('an unrecognised file named like an earlier one is a record of its own, not a version of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'garmin-same-name-'));
    const path = join(dir, 'response.json');
    writeFileSync(path, JSON.stringify(recorded('garth_test_user_settings.0').body));
    await ingest(db(), garmin, { files: [path], logger, env: {} });
    writeFileSync(path, JSON.stringify(recorded('garth_test_fitness_activity_list.0').body));
    await ingest(db(), garmin, { files: [path], logger, env: {} });
    const again = await ingest(db(), garmin, { files: [path], logger, env: {}, force: true });
    expect(again.inserted).toBe(0);
    const rows = await db().withSession((s) =>
      s.query<{ raw_id: string; version: number; sha: string }>(`SELECT raw_id, version, raw_data->>'sha256' AS sha FROM bronze_garmin WHERE stream = 'export_other' AND raw_data->>'path' = 'response.json' ORDER BY id`),
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.version).toBe(1);
      expect(row.raw_id).toBe(`response.json#sha256:${row.sha}`);
    }
  });
});
