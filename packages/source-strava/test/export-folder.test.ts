import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { fixture, rowsPerStream, run, tempDir, writeZip } from './helpers/export-zip.js';

/**
 * A real export (geo-activity-playground's, test/fixtures/README.md) unzipped, as users do before
 * handing it over: `<export>/activities.csv` names `activities/12866632127.fit.gz` as activity
 * 12070555079 (the file is named by its upload id). Imported as a folder, the FIT file was stored
 * under `file:12866632127.fit#sha256:…`; the same export as a zip stored it again under 12070555079.
 */
const EXPORT: Record<string, Buffer> = {
  'activities.csv': fixture('geo-activity-playground_activities.csv'),
  'activities/12866632127.fit.gz': fixture('geo-activity-playground_12866632127.fit.gz'),
  'metering.csv': fixture('geo-activity-playground_metering.csv'),
  'bikes.csv': fixture('geo-activity-playground_bikes.csv'),
};
const ACTIVITY_ID = '12070555079';

/** Counted outside bronze: CSV rows with Python's csv module, FIT messages with the independent walker (packages/fit/test/helpers/fit-walk.py). */
function independentCounts(dir: string) {
  const py = (code: string) => execFileSync('python3', ['-c', code], { encoding: 'utf8' }).trim();
  const csvRows = (f: string) => Number(py(`import csv;print(len(list(csv.reader(open(${JSON.stringify(join(dir, f))},encoding='utf-8-sig'))))-1)`));
  const fit = join(tempDir(), 'walk.fit'); // outside the export folder, which is imported whole
  writeFileSync(fit, gunzipSync(EXPORT['activities/12866632127.fit.gz']!));
  const walker = join(import.meta.dirname, '..', '..', 'fit', 'test', 'helpers', 'fit-walk.py');
  // fit_messages: one row per (section, message type, chunk of 1,000).
  const chunks = Number(py(`import json,subprocess,collections,math;w=json.loads(subprocess.check_output(['python3',${JSON.stringify(walker)},${JSON.stringify(fit)}]));print(sum(sum(math.ceil(n/1000) for n in collections.Counter(m['g'] for m in s['messages']).values()) for s in w))`));
  return { activities: csvRows('activities.csv'), metering: csvRows('metering.csv'), bikes: csvRows('bikes.csv'), chunks };
}

function writeFolder(dir: string, entries: Record<string, Buffer>): string {
  for (const [name, bytes] of Object.entries(entries)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

describeOneEngine('Strava: an unzipped export folder is stored as its zip is', (db) => {
  const ids = (stream: string) =>
    db().withSession((s) => s.query<{ raw_id: string; version: number; entry: string }>(`SELECT raw_id, version, metadata->>'entry' AS entry FROM bronze_strava WHERE stream = '${stream}' ORDER BY raw_id`));

  it('the folder: each activity file under the activity id activities.csv gives it; rows = elements counted outside', async () => {
    const folder = writeFolder(join(tempDir(), 'export_123'), EXPORT);
    const n = independentCounts(folder);
    expect(n).toEqual({ activities: 1, metering: 3, bikes: 0, chunks: 7 });
    const r = await run(db(), [folder]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual({
      export_activities: n.activities,
      export_metering: n.metering,
      export_other: 1, // bikes.csv: a header and no row
      fit_files: 1,
      fit_messages: n.chunks,
    });
    expect(await ids('fit_files')).toEqual([{ raw_id: ACTIVITY_ID, version: 1, entry: 'activities/12866632127.fit.gz' }]);
    expect((await ids('fit_messages')).every((m) => m.raw_id.startsWith(`${ACTIVITY_ID}:0:`))).toBe(true);
  });

  it('the same export as a zip afterwards adds nothing: no activity stored twice under two ids', async () => {
    const before = await rowsPerStream(db());
    const zip = await writeZip(join(tempDir(), 'export_123.zip'), EXPORT);
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(0);
    expect(await rowsPerStream(db())).toEqual(before);
  });

  it('one activity file given out of the folder, or gunzipped in place, is the same activity', async () => {
    const folder = writeFolder(join(tempDir(), 'export_123'), { 'activities.csv': EXPORT['activities.csv']!, 'activities/12866632127.fit': gunzipSync(EXPORT['activities/12866632127.fit.gz']!) });
    const r = await run(db(), [join(folder, 'activities', '12866632127.fit')]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // fit_files describes the FIT bytes (inflated), so the file gunzipped is the same record: nothing new.
    expect(r.inserted).toBe(0);
    expect((await ids('fit_files')).map((x) => [x.raw_id, x.version])).toEqual([[ACTIVITY_ID, 1]]);
    expect((await ids('fit_messages')).length).toBe(7);
  });

  it('a file activities.csv does not name keeps the lone file id: a path alone never makes two files one record', async () => {
    const folder = writeFolder(join(tempDir(), 'export_9'), { 'activities.csv': EXPORT['activities.csv']!, 'activities/Activity.fit': fixture('garth_12129115726_ACTIVITY.fit') });
    expect((await run(db(), [folder])).status).toBe('succeeded');
    expect((await ids('fit_files')).filter((x) => x.raw_id.startsWith('file:')).map((x) => x.raw_id)).toEqual([expect.stringMatching(/^file:Activity\.fit#sha256:[0-9a-f]{64}$/)]);
  });
});
