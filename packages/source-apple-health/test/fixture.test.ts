import { readFileSync } from 'node:fs';
import { describeOneEngine, runConformance } from '@bronze/testkit';
import { expect, it } from 'vitest';
import source from '../src/index.js';
import { FIXTURE, rowsPerStream, run } from './helpers.js';

const xml = readFileSync(FIXTURE, 'utf8');
/** The fixture's elements, counted by tag in the text (it is indented by 4 spaces). */
const inFile = (tag: string) => xml.split(`\n    <${tag} `).length - 1;

describeOneEngine('apple_health: the real sample export', (db) => {
  it('stores every element: per stream, rows = elements in the file', async () => {
    const r = await run(db(), [FIXTURE]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const rows = await rowsPerStream(db());
    expect(rows).toEqual({
      records: inFile('Record'),
      workouts: inFile('Workout'),
      activity_summaries: inFile('ActivitySummary'),
      me: inFile('Me'),
      export_info: inFile('ExportDate'),
    });
    expect(inFile('Record')).toBe(2);
    expect(r.invalid).toBe(0);
    expect(r.warning).toBe(0);
  });

  it('keeps attributes and children exactly as Apple writes them', async () => {
    const [rec] = await db().withSession((s) =>
      s.query<{ raw_data: Record<string, unknown>; source_timestamp: Date; metadata: { line: number } }>(
        `SELECT raw_data, source_timestamp, metadata FROM bronze_apple_health WHERE stream = 'records' AND raw_data->>'type' = 'HKQuantityTypeIdentifierBodyMassIndex'`,
      ),
    );
    expect(rec.raw_data).toMatchObject({
      sourceName: 'Health Mate',
      sourceVersion: '2160040',
      unit: 'count',
      value: '22.5312',
      startDate: '2016-04-18 08:25:32 -0700',
    });
    expect(rec.raw_data.MetadataEntry).toHaveLength(5);
    expect((rec.raw_data.MetadataEntry as { value: string }[])[3].value).toBe('withings-bd2://timeline/measure?userid=12345&date=482685932&type=1');
    expect(new Date(rec.source_timestamp).toISOString()).toBe('2016-04-18T15:25:32.000Z');
    expect(rec.metadata.line).toBe(4);

    const [workout] = await db().withSession((s) => s.query<{ raw_data: any }>(`SELECT raw_data FROM bronze_apple_health WHERE stream = 'workouts'`));
    expect(workout.raw_data.WorkoutRoute[0].Location).toHaveLength(2);
    expect(workout.raw_data.WorkoutRoute[0].Location[0].latitude).toBe('37.7777');
    const [info] = await db().withSession((s) => s.query<{ raw_data: any }>(`SELECT raw_data FROM bronze_apple_health WHERE stream = 'export_info'`));
    expect(info.raw_data).toEqual({ HealthData: { locale: 'en_US' }, ExportDate: { value: '2019-07-19 10:36:11 -0700' } });
  });

  it('a second import adds 0 rows (skipped, and with --force nothing new)', async () => {
    const skipped = await run(db(), [FIXTURE]);
    expect(skipped.files.skipped).toBe(1);
    expect(skipped.inserted).toBe(0);
    const forced = await run(db(), [FIXTURE], { force: true });
    expect(forced.status).toBe('succeeded');
    expect(forced.inserted).toBe(0);
    expect(forced.unchanged).toBe(forced.seen);
  });
});

runConformance({ source, options: () => ({ files: [FIXTURE] }), crashBatchSize: 2 });
