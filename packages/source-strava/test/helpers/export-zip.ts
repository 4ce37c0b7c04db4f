import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ingest, silentLogger, type BronzeDatabase, type IngestOptions } from '@bronze/core';
export { writeZip } from '@bronze/testkit';
import strava from '../../src/index.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bronze-strava-'));
}

/** The header of a real export's activities.csv (2023, 91 columns, `Distance` & co. twice): sportipy's fixture. */
export const ACTIVITIES_HEADER = fixture('sportipy_export_123_activities.csv').toString('utf8').split('\n')[0];

/** An activities.csv row under that header: the named columns set, every other one empty. */
export function activityRow(values: Record<string, string>): string {
  const columns = ACTIVITIES_HEADER.split(',');
  const cells = columns.map(() => '');
  for (const [name, value] of Object.entries(values)) cells[columns.indexOf(name)] = /[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return cells.join(',');
}

/**
 * The activities of the export zip: a device upload (FIT) and a TCX named by Strava's upload
 * id, which is not the activity id, a GPX recorded in Strava's app (named by its id), and a
 * manual entry with no file.
 */
export const ACTIVITIES = [
  { id: '9001001', file: 'activities/9101001.fit.gz', body: () => gzipSync(fixture('garth_12129115726_ACTIVITY.fit')), date: 'Dec 24, 2023, 7:20:17 AM' },
  { id: '9001002', file: 'activities/9001002.gpx.gz', body: () => gzipSync(fixture('gpxpy_korita-zbevnica.gpx')), date: 'Oct 4, 2010, 5:13:19 AM' },
  { id: '9001003', file: 'activities/9101003.tcx.gz', body: () => gzipSync(fixture('tcxparser_test.tcx')), date: 'Dec 26, 2012, 9:29:53 PM' },
  { id: '9001004', file: '', body: undefined, date: 'Jan 2, 2024, 6:00:00 PM' },
];

export function activitiesCsv(): string {
  const rows = ACTIVITIES.map((a) => activityRow({ 'Activity ID': a.id, 'Activity Date': a.date, 'Activity Name': `Activity ${a.id}`, 'Activity Type': 'Run', Filename: a.file }));
  return `${[ACTIVITIES_HEADER, ...rows].join('\n')}\n`;
}

/** The entries of a Strava account export (flat, as Strava zips it), activity files gzipped. */
export function exportEntries(): Record<string, string | Buffer> {
  const entries: Record<string, string | Buffer> = { 'activities.csv': activitiesCsv() };
  for (const a of ACTIVITIES) if (a.body) entries[a.file] = a.body();
  entries['routes/1.gpx'] = fixture('sportipy_1.gpx');
  entries['profile.csv'] = 'Athlete ID,Email Address,First Name,Last Name,Sex,City,Country\n123,runner@example.org,Ada,Runner,F,Leeds,UK\n';
  entries['bikes.csv'] = 'Bike Name,Bike Brand,Bike Model,Bike Default Sport Types\nCommuter,Brompton,C Line,"Ride, EBikeRide"\nRoad,Canyon,Endurace,Ride\n';
  entries['blocks.csv'] = 'Blocked Athlete\n';
  entries['brand_new_thing.csv'] = 'When,What\n2024-01-01,x\n';
  entries['media/3f2a.jpg'] = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
  entries['messaging.json'] = '{"conversations":[]}\n';
  return entries;
}

export function run(db: BronzeDatabase, files: string[], extra: Partial<IngestOptions> = {}) {
  return ingest(db, strava, { files, logger: silentLogger(), env: {}, ...extra });
}

export async function rowsPerStream(db: BronzeDatabase): Promise<Record<string, number>> {
  const rows = await db.withSession((s) => s.query<{ stream: string; n: number }>('SELECT stream, count(*)::int AS n FROM bronze_strava GROUP BY stream ORDER BY stream'));
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}
