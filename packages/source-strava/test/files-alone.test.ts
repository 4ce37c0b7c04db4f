import { createHash } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { FIXTURES, fixture, rowsPerStream, run, tempDir, writeZip } from './helpers/export-zip.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

interface Row { stream: string; raw_id: string; raw_data: Record<string, unknown>; validation_status: string; error_message: string | null }

describeOneEngine('Strava: plain activity files, and files given on their own', (db) => {
  const rows = (where: string) => db().withSession((s) => s.query<Row>(`SELECT stream, raw_id, raw_data, validation_status, error_message FROM bronze_strava WHERE ${where} ORDER BY stream, raw_id`));

  it("reads Athlytics' export layout (plain .fit, .gpx, .tcx named in activities.csv) under the activity ids", async () => {
    const zip = await writeZip(join(tempDir(), 'athlytics.zip'), {
      'activities.csv': fixture('athlytics_activities.csv'),
      'activities/example.fit': fixture('athlytics_example.fit'),
      'activities/example.gpx': fixture('athlytics_example.gpx'),
      'activities/example.tcx': fixture('athlytics_example.tcx'),
    });
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const csvRows = fixture('athlytics_activities.csv').toString('utf8').trim().split('\n').length - 1;
    const counts = await rowsPerStream(db());
    expect(counts.export_activities).toBe(csvRows);
    expect([counts.fit_files, counts.gpx_files, counts.tcx_files]).toEqual([1, 1, 1]);
    // activities.csv names them: example.tcx is activity 1, example.gpx 2, example.fit 3.
    expect((await rows(`stream IN ('tcx_files', 'gpx_files', 'fit_files')`)).map((x) => [x.stream, x.raw_id])).toEqual([
      ['fit_files', '3'], ['gpx_files', '2'], ['tcx_files', '1'],
    ]);
  });

  it('takes one file of the export on its own; a lone activity file is `file:<name>#sha256:<content>`', async () => {
    const dir = tempDir();
    const gz = join(dir, '4313504100.gpx.gz');
    writeFileSync(gz, gzipSync(fixture('sportipy_1.gpx')));
    const csv = join(dir, 'bikes.csv');
    writeFileSync(csv, 'Bike Name,Bike Brand\nCommuter,Brompton\n');
    const tcx = join(dir, 'run.tcx');
    copyFileSync(join(FIXTURES, 'tcxparser_test.tcx'), tcx);
    const r = await run(db(), [gz, csv, tcx]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // The gzipped GPX is named by its content after gunzip (the same file not gzipped is the same record).
    expect((await rows(`raw_id LIKE 'file:%'`)).map((x) => [x.stream, x.raw_id, x.validation_status])).toEqual([
      ['gpx_files', `file:4313504100.gpx#sha256:${sha256(fixture('sportipy_1.gpx'))}`, 'valid'],
      ['tcx_files', `file:run.tcx#sha256:${sha256(fixture('tcxparser_test.tcx'))}`, 'valid'],
    ]);
    expect((await rows(`stream = 'export_bikes'`)).map((x) => x.raw_data)).toEqual([{ 'Bike Name': 'Commuter', 'Bike Brand': 'Brompton' }]);
  });

  it('a corrupted .fit.gz given on its own is stored invalid with the byte offset', async () => {
    const dir = tempDir();
    const gz = gzipSync(fixture('garth_12129115726_ACTIVITY.fit'));
    const path = join(dir, 'broken.fit.gz');
    writeFileSync(path, gz.subarray(0, 600));
    const r = await run(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // Not inflated whole: the id hashes the .gz bytes as given, never the inflated prefix.
    const [row] = await rows(`stream = 'fit_files' AND raw_id = 'file:broken.fit#sha256:${sha256(gz.subarray(0, 600))}'`);
    expect(row.validation_status).toBe('invalid');
    expect(row.error_message).toContain('gzip data damaged at byte 600 of 600 (unexpected end of file)');
  });
});
