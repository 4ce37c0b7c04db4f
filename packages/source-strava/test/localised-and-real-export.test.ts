import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { csvDataRows } from './helpers/count-csv.js';
import { fixture, rowsPerStream, run, tempDir, writeZip } from './helpers/export-zip.js';
import { GERMAN_ACTIVITIES, germanActivitiesCsv } from './helpers/german-export.js';

interface Row { stream: string; raw_id: string; validation_status: string; source_timestamp: Date | null; raw_data: Record<string, string> }

/**
 * FIT data messages per (section, message type), read by walking the file's record headers:
 * fit_messages holds one row per type and chunk of 1,000. Hand-counted, not @bronze/fit's
 * decoder: geo-activity-playground's file holds 347 messages of 7 types (0, 18, 19, 20 ×326,
 * 21, 23, 34), which Python's walker in the fixtures README counts the same.
 */
const GEO_FIT_MESSAGE_TYPES = 7;

describeOneEngine('Strava: a German export, and a real English one', (db) => {
  const rows = (where: string) =>
    db().withSession((s) => s.query<Row>(`SELECT stream, raw_id, validation_status, source_timestamp, raw_data FROM bronze_strava WHERE ${where} ORDER BY stream, raw_id`));

  it('a German export: rows under `Aktivitäts-ID`, times from `Aktivitätsdatum` (UTC), the FIT file under its activity id', async () => {
    const csv = germanActivitiesCsv();
    const zip = await writeZip(join(tempDir(), 'export_de.zip'), {
      'activities.csv': csv,
      [GERMAN_ACTIVITIES[0].file]: gzipSync(fixture('garth_12129115726_ACTIVITY.fit')),
    });
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const stored = await rows(`stream = 'export_activities' AND raw_id LIKE '9002%'`);
    expect(stored.length).toBe(csvDataRows(csv));
    expect(stored.map((x) => [x.raw_id, x.validation_status, x.source_timestamp?.toISOString()])).toEqual(GERMAN_ACTIVITIES.map((a) => [a.id, 'valid', a.utc]));
    // As written: the repeated columns numbered, the decimal comma and the three-line description kept.
    expect(stored[0].raw_data).toMatchObject({ Distanz: '9,44', 'Distanz#2': '', Aktivitätsbeschreibung: 'bewölkt, 0°C\n---\n ', Dateiname: GERMAN_ACTIVITIES[0].file });
    // Named by its upload id: only the `Dateiname` column ties it to activity 9002001.
    expect((await rows(`stream = 'fit_files' AND (raw_id = '9002001' OR raw_id LIKE 'file:activities/9102001%')`)).map((x) => x.raw_id)).toEqual([GERMAN_ACTIVITIES[0].id]);
  });

  it('the same German activities.csv renamed and given alone is known by its header: the same rows, nothing added', async () => {
    const path = join(tempDir(), 'aktivitaeten.csv');
    writeFileSync(path, germanActivitiesCsv());
    const r = await run(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect([r.seen, r.inserted, r.unchanged]).toEqual([GERMAN_ACTIVITIES.length, 0, GERMAN_ACTIVITIES.length]);
    expect(r.notes).toContain('aktivitaeten.csv: read as activities.csv (its header is the German layout)');
  });

  it("a French export: rows under `ID de l'activité`, times from `Date de l'activité` (`4 janv. 2020, 14:57:37`, UTC), the FIT file under its activity id", async () => {
    const header = fixture('strava_activities_header_fr.csv').toString('utf8').trimEnd();
    const names = header.split(',');
    const row = (values: Record<string, string>) => names.map((n, i) => (names.indexOf(n) === i && values[n] !== undefined ? `"${values[n]}"` : '')).join(',');
    const activities = [
      { id: '9003001', date: '4 janv. 2020, 14:57:37', utc: '2020-01-04T14:57:37.000Z', file: 'activities/9103001.fit.gz' },
      { id: '9003002', date: '15 août 2023, 06:05:00', utc: '2023-08-15T06:05:00.000Z', file: '' },
    ];
    const csv = `${[header, ...activities.map((a, i) => row({ "ID de l'activité": a.id, "Date de l'activité": a.date, "Nom de l'activité": `Sortie ${i + 1}`, "Type d'activité": 'Vélo', Distance: '9,44', 'Nom du fichier': a.file }))].join('\n')}\n`;
    const zip = await writeZip(join(tempDir(), 'export_fr.zip'), { 'activities.csv': csv, [activities[0].file]: gzipSync(fixture('garth_12129115726_ACTIVITY.fit')) });
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const stored = await rows(`stream = 'export_activities' AND raw_id LIKE '9003%'`);
    expect(stored.length).toBe(csvDataRows(csv));
    expect(stored.map((x) => [x.raw_id, x.validation_status, x.source_timestamp?.toISOString()])).toEqual(activities.map((a) => [a.id, 'valid', a.utc]));
    expect(stored[0].raw_data).toMatchObject({ "Date de l'activité": activities[0].date, Distance: '9,44', 'Distance#2': '', 'Temps écoulé#2': '' });
    expect((await rows(`stream = 'fit_files' AND (raw_id = '9003001' OR raw_id LIKE 'file:activities/9103001%')`)).map((x) => x.raw_id)).toEqual(['9003001']);
  });

  it("geo-activity-playground's real export: rows = CSV records per stream, the FIT file (named by its upload id) under the activity id", async () => {
    const activities = fixture('geo-activity-playground_activities.csv');
    const metering = fixture('geo-activity-playground_metering.csv');
    const zip = await writeZip(join(tempDir(), 'export_144106043.zip'), {
      'activities.csv': activities,
      'activities/12866632127.fit.gz': fixture('geo-activity-playground_12866632127.fit.gz'),
      'metering.csv': metering,
      'bikes.csv': fixture('geo-activity-playground_bikes.csv'),
    });
    const before = await rowsPerStream(db());
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const after = await rowsPerStream(db());
    const added = Object.fromEntries(Object.entries(after).map(([s, n]) => [s, n - (before[s] ?? 0)]).filter(([, n]) => n !== 0));
    expect(added).toEqual({
      export_activities: csvDataRows(activities.toString('utf8')),
      export_metering: csvDataRows(metering.toString('utf8')),
      export_other: 1, // bikes.csv: a header, no row
      fit_files: 1,
      fit_messages: GEO_FIT_MESSAGE_TYPES,
    });
    // activities.csv: activity 12070555079, Filename activities/12866632127.fit.gz (Strava's upload id).
    expect((await rows(`stream = 'fit_files' AND raw_id = '12070555079'`)).map((x) => x.validation_status)).toEqual(['valid']);
    expect((await rows(`stream = 'fit_messages' AND raw_id LIKE '12070555079:%'`)).length).toBe(GEO_FIT_MESSAGE_TYPES);
    expect((await rows(`raw_id LIKE '%12866632127%'`)).map((x) => x.stream)).toEqual([]);
  });
});
