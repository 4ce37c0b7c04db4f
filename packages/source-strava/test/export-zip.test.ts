import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fitRows, loadFitSdk } from '@bronze/fit';
import { describeOneEngine } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { ACTIVITIES, exportEntries, fixture, rowsPerStream, run, tempDir, writeZip } from './helpers/export-zip.js';

interface Row { stream: string; raw_id: string; raw_data: Record<string, unknown>; validation_status: string; error_message: string | null; source_timestamp: Date | null }

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/** Track points in a parsed GPX / TCX record, counted in the JSON. */
function countElements(value: unknown, name: string): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countElements(v, name), 0);
  if (!value || typeof value !== 'object') return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) n += (k === name && Array.isArray(v) ? v.length : 0) + countElements(v, name);
  return n;
}

describeOneEngine('Strava account export zip', (db) => {
  let zip: string;
  const rows = async (where = 'true') =>
    db().withSession((s) => s.query<Row>(`SELECT stream, raw_id, raw_data, validation_status, error_message, source_timestamp FROM bronze_strava WHERE ${where} ORDER BY stream, raw_id`));

  it('stores every CSV row and decodes every activity file (.fit.gz, .gpx.gz, .tcx.gz); rows = elements per stream', async () => {
    zip = await writeZip(join(tempDir(), 'export_123.zip'), exportEntries());
    const r = await run(db(), [zip]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');

    await loadFitSdk();
    const fitBytes = fixture('garth_12129115726_ACTIVITY.fit');
    const expectedFit = [...fitRows(fitBytes)];
    expect(await rowsPerStream(db())).toEqual({
      export_activities: ACTIVITIES.length,
      export_bikes: 2,
      export_other: 3, // blocks.csv (a header, no row), media/3f2a.jpg, messaging.json
      export_other_csv: 1,
      export_profile: 1,
      fit_files: 1,
      fit_messages: expectedFit.length - 1,
      gpx_files: 2, // the activity's and routes/1.gpx
      tcx_files: 1,
    });
    const all = await rows();
    expect(all.filter((x) => x.validation_status !== 'valid')).toEqual([]);
  });

  it('stores each activity file under its Strava activity id (not the upload id in its name)', async () => {
    const ids = (stream: string) => rows(`stream = '${stream}'`).then((rs) => rs.map((x) => x.raw_id));
    expect(await ids('export_activities')).toEqual(ACTIVITIES.map((a) => a.id));
    expect(await ids('fit_files')).toEqual(['9001001']);
    expect(await ids('tcx_files')).toEqual(['9001003']);
    expect(await ids('gpx_files')).toEqual(['9001002', 'file:routes/1.gpx']);
    expect((await ids('fit_messages')).every((id) => id.startsWith('9001001:0:'))).toBe(true);
  });

  it('keeps the FIT rows exactly as @bronze/fit makes them (the Garmin rows), and the XML whole', async () => {
    await loadFitSdk();
    const expected = [...fitRows(fixture('garth_12129115726_ACTIVITY.fit'))].map((e) => JSON.parse(JSON.stringify(e.record)));
    const stored = await rows(`stream IN ('fit_files', 'fit_messages')`);
    const byKind = (s: string) => stored.filter((x) => x.stream === s).map((x) => x.raw_data);
    expect(byKind('fit_files')).toEqual([expected[0]]);
    const key = (m: Record<string, unknown>) => `${m.section}:${m.message}:${m.chunk}`;
    const sorted = (ms: Record<string, unknown>[]) => [...ms].sort((a, b) => key(a).localeCompare(key(b)));
    expect(sorted(byKind('fit_messages'))).toEqual(sorted(expected.slice(1)));

    const gpxText = fixture('gpxpy_korita-zbevnica.gpx').toString('utf8');
    const tcxText = fixture('tcxparser_test.tcx').toString('utf8');
    const [gpx] = await rows(`stream = 'gpx_files' AND raw_id = '9001002'`);
    const [tcx] = await rows(`stream = 'tcx_files'`);
    expect(countElements(gpx.raw_data, 'trkpt')).toBe(occurrences(gpxText, '<trkpt '));
    expect(countElements(gpx.raw_data, 'wpt')).toBe(occurrences(gpxText, '<wpt '));
    expect(countElements(tcx.raw_data, 'Trackpoint')).toBe(occurrences(tcxText, '<Trackpoint>'));
    expect(countElements(tcx.raw_data, 'Lap')).toBe(occurrences(tcxText, '<Lap '));
    expect(tcx.source_timestamp?.toISOString()).toBe('2012-12-26T21:29:53.000Z');
  });

  it('keeps both Distance columns of activities.csv and reads Activity Date as UTC', async () => {
    const [fit] = await rows(`stream = 'export_activities' AND raw_id = '9001001'`);
    expect(Object.keys(fit.raw_data)).toContain('Distance#2');
    expect(Object.keys(fit.raw_data)).toContain('Elapsed Time#2');
    expect(fit.raw_data.Filename).toBe('activities/9101001.fit.gz');
    expect(fit.source_timestamp?.toISOString()).toBe('2023-12-24T07:20:17.000Z');
  });

  it('a re-import of the same export adds 0 rows', async () => {
    const again = await run(db(), [zip], { force: true });
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(again.inserted).toBe(0);
    expect(again.unchanged).toBe(again.seen);
  });

  it('a corrupted .fit.gz is stored invalid with the byte offset, and the rest of the export is read', async () => {
    const entries = exportEntries();
    const good = entries['activities/9101001.fit.gz'] as Buffer;
    const cut = good.subarray(0, Math.floor(good.length / 2));
    entries['activities/9101001.fit.gz'] = cut;
    entries['activities/9101002.fit.gz'] = Buffer.concat([good.subarray(0, 10), Buffer.alloc(40, 0xff)]);
    const damaged = await writeZip(join(tempDir(), 'export_damaged.zip'), entries);
    const r = await run(db(), [damaged]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const bad = await rows(`stream = 'fit_files' AND validation_status = 'invalid'`);
    const halved = bad.find((x) => x.raw_id === '9001001')!;
    expect(halved.error_message).toContain(`activities/9101001.fit.gz: gzip data damaged at byte ${cut.length} of ${cut.length} (unexpected end of file)`);
    expect(halved.error_message).toMatch(/FIT file damaged: .* at byte \d+/);
    const garbage = bad.find((x) => x.raw_id === 'file:activities/9101002.fit.gz')!;
    expect(garbage.error_message).toMatch(/activities\/9101002\.fit\.gz: gzip data damaged at byte \d+ of 50 \(/);
    expect(garbage.raw_data).toMatchObject({ size: 50, sections: [] });
    // Nothing after a gzip's damage is lost: each damaged .gz is kept as given, byte for byte.
    const entryBytes = (row: { raw_data: Record<string, unknown> }) => Buffer.from(row.raw_data.gzipBase64 as string, 'base64');
    expect(entryBytes(halved).equals(cut)).toBe(true);
    expect(entryBytes(garbage).equals(entries['activities/9101002.fit.gz'] as Buffer)).toBe(true);
    // An intact file keeps no copy.
    expect((await rows(`stream = 'fit_files' AND validation_status = 'valid'`)).every((x) => x.raw_data.gzipBase64 === undefined)).toBe(true);
    // The half that inflated is kept: its messages up to the damage, the damaged section's rows invalid.
    expect((await rows(`stream = 'fit_messages' AND raw_id LIKE '9001001:%' AND validation_status = 'invalid'`)).length).toBeGreaterThan(0);
    expect(r.inserted).toBeGreaterThan(2);
  });
});

it('gzip of the fixtures is deterministic, so the zips above are the same on every run', () => {
  expect(gzipSync(fixture('tcxparser_test.tcx')).equals(gzipSync(fixture('tcxparser_test.tcx')))).toBe(true);
});
