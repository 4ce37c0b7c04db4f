import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { csvDataRows } from './helpers/count-csv.js';
import { fixture, run, tempDir } from './helpers/export-zip.js';

interface Row { stream: string; raw_id: string; validation_status: string; source_timestamp: Date | null; metadata: { entry: string } }

/** A real export's activities.csv (geo-activity-playground's, 2024: 94 columns, one activity). */
const REAL = fixture('geo-activity-playground_activities.csv');
const REAL_ID = '12070555079';

/** The layout of exports before mid-2019 (hugovk/strava-tools#1; AhmedAldahshoury/StravaData), values made up. */
const OLD = 'id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n'
  + '8001,2014-09-12 16:54:28,Evening Ride,Ride,,9462,43057.4,false,,activities/8001.gpx\n'
  + '8002,2014-10-02 04:00:55,"Ride, with a comma",Ride,"two\nlines",8627,34866.5,false,,activities/8002.gpx\n';

describeOneEngine('Strava: a lone activities.csv, renamed, is known by its header', (db) => {
  const rows = (where: string) =>
    db().withSession((s) => s.query<Row>(`SELECT stream, raw_id, validation_status, source_timestamp, metadata FROM bronze_strava WHERE ${where} ORDER BY stream, raw_id`));

  it('reads a real activities.csv saved as `strava_activities_2024.csv`, `activities (1).csv` or gzipped into export_activities, once', async () => {
    const dir = tempDir();
    const names = ['strava_activities_2024.csv', 'activities (1).csv', 'activities.csv.gz'];
    writeFileSync(join(dir, names[0]), REAL);
    writeFileSync(join(dir, names[1]), REAL);
    writeFileSync(join(dir, names[2]), gzipSync(REAL));
    const notes: string[][] = [];
    for (const name of names) {
      const r = await run(db(), [join(dir, name)]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      notes.push(r.notes.filter((n) => !n.startsWith('strava API')));
    }
    // One activity, three copies of it: one row under its activity id, as the export's own activities.csv gives it.
    expect(csvDataRows(REAL.toString('utf8'))).toBe(1);
    const stored = await rows(`raw_id NOT LIKE 'row:%' AND stream <> 'export_other'`);
    expect(stored.map((x) => [x.stream, x.raw_id, x.validation_status, x.source_timestamp?.toISOString()])).toEqual([
      ['export_activities', REAL_ID, 'valid', '2022-05-29T15:53:35.000Z'],
    ]);
    expect(await rows(`stream IN ('export_other_csv', 'export_other')`)).toEqual([]);
    // The gzipped copy is activities.csv by its name once `.gz` is off: nothing to say.
    expect(notes).toEqual([
      ['strava_activities_2024.csv: read as activities.csv (its header is the English layout)'],
      ['activities (1).csv: read as activities.csv (its header is the English layout)'],
      [],
    ]);
  });

  it('reads the pre-2019 layout (`id`, `date`, `filename`) under any name: rows = records, raw_id = id', async () => {
    const path = join(tempDir(), 'my_old_strava.csv');
    writeFileSync(path, OLD);
    const r = await run(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const stored = await rows(`metadata->>'entry' = 'my_old_strava.csv'`);
    expect(stored.length).toBe(csvDataRows(OLD));
    expect(stored.map((x) => [x.stream, x.raw_id, x.validation_status, x.source_timestamp?.toISOString()])).toEqual([
      ['export_activities', '8001', 'valid', '2014-09-12T16:54:28.000Z'],
      ['export_activities', '8002', 'valid', '2014-10-02T04:00:55.000Z'],
    ]);
    expect(r.notes).toContain('my_old_strava.csv: read as activities.csv (its header is the English, before 2019 layout)');
  });

  it('a CSV that is no export file by name or header lands row by row in export_other_csv, and the run says so', async () => {
    const dir = tempDir();
    const metering = fixture('geo-activity-playground_metering.csv');
    writeFileSync(join(dir, 'my_metering.csv'), metering);
    writeFileSync(join(dir, 'notes.txt'), 'not a Strava file\n');
    const r = await run(db(), [join(dir, 'my_metering.csv'), join(dir, 'notes.txt')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.notes).toEqual(expect.arrayContaining([
      'my_metering.csv: not a CSV of the Strava export by its name, nor activities.csv by its header; stored row by row in export_other_csv',
      'notes.txt: not a file of a Strava export that bronze reads (the zip, a CSV, a .fit/.gpx/.tcx activity file): kept whole in export_other',
    ]));
    const stored = await rows(`metadata->>'entry' IN ('my_metering.csv', 'notes.txt')`);
    expect(stored.filter((x) => x.stream === 'export_other_csv').length).toBe(csvDataRows(metering.toString('utf8')));
    expect(stored.filter((x) => x.stream !== 'export_other_csv').map((x) => [x.stream, x.raw_id])).toEqual([['export_other', 'notes.txt']]);
  });

  it('a lone activities.csv whose header is none of the layouts still stores every row (invalid, no id) and names the file', async () => {
    const path = join(tempDir(), 'activities.csv');
    const text = 'Date,Steps\n2024-01-01,1000\n2024-01-02,2000\n';
    writeFileSync(path, text);
    const r = await run(db(), [path]);
    expect(r.notes.some((n) => n.startsWith('activities.csv: named activities.csv, but its header holds none of activities.csv\'s layouts'))).toBe(true);
    const stored = await rows(`stream = 'export_activities' AND raw_id LIKE 'invalid:%'`);
    expect(stored.map((x) => x.validation_status)).toEqual(Array(csvDataRows(text)).fill('invalid'));
  });
});
