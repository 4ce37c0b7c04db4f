import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromJsonbSafe, selectedRows } from '@bronze/core';
import { describeEachEngine, type HostileRow, type TestDatabase } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { ACTIVITIES_HEADER, activityRow, fixture, run, tempDir, writeZip } from './helpers/export-zip.js';

/**
 * testkit's hostile-input suite (issue 17), translated to the export's CSV files. The suite
 * itself (runHostileSuite) writes its cases as JSON texts: duplicate keys, 1e400, ids of every
 * JSON type, a `{"__proto__": …}` object. None of that can be said in a CSV, where every
 * value is a string, so its ideas are restated here: poison dates, hostile ids, damage
 * mid-file, `__proto__` and marker look-alikes as column names; every case stored losslessly
 * or refused with its reason, and a forced re-import adding nothing. XML and gzip: hostile-export-xml.test.ts.
 */
const dir = tempDir();
/** A file of the export given on its own: its name says what it is (activities.csv), its folder which case. */
const file = (folder: string, name: string, text: string | Buffer) => {
  mkdirSync(join(dir, folder), { recursive: true });
  const path = join(dir, folder, name);
  writeFileSync(path, text);
  return path;
};
const csv = (rows: string[]) => `${[ACTIVITIES_HEADER, ...rows].join('\n')}\n`;
const act = (id: string, date: string, extra: Record<string, string> = {}) => activityRow({ 'Activity ID': id, 'Activity Date': date, 'Activity Name': `Run ${id.length > 20 ? 'long' : id}`, 'Activity Type': 'Run', ...extra });

/** Imports the files, then again with --force: nothing is stored twice. Returns the first run. */
async function importTwice(db: TestDatabase, files: string[]) {
  const first = await run(db, files);
  const again = await run(db, files, { force: true });
  expect(again.inserted, `a forced re-import adds nothing (${again.errors.join('; ')})`).toBe(0);
  return first;
}
const rowsOf = (db: TestDatabase, filePath: string, stream: string) => db.withSession((s) => selectedRows<HostileRow>(s, 'strava', { filePath, stream }));

describeEachEngine('strava export CSVs: hostile input', (db, engine) => {
  it('poison Activity Dates: year 0 is not 1900, 30 February is no date, the others as written', async () => {
    const path = file(`poison_${engine}`, 'activities.csv', csv([
      act('1', 'Jan 1, 0000, 12:00:00 AM'), act('2', 'Mar 15, 0044, 12:00:00 PM'), act('3', 'Feb 30, 2020, 1:00:00 PM'),
      act('4', 'Dec 31, 9999, 11:59:59 PM'), act('5', 'Jan 4, 2020, 13:00:00 PM'), act('6', 'Jan 4, 2020, 2:57:37 PM'),
    ]));
    const r = await importTwice(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const rows = new Map((await rowsOf(db(), path, 'export_activities')).map((x) => [x.raw_id, x]));
    expect(rows.get('1')).toMatchObject({ validation_status: 'warning', source_timestamp: null, error_message: expect.stringMatching(/0000-01-01/) });
    // Read as text: PGlite's client turns `0044-03-15 12:00:00+00` into a Date with V8's legacy
    // parser, which reads the year as 2044 (what is stored is 44 AD, as PostgreSQL's client shows).
    const [{ at }] = await db().withSession((s) =>
      s.query<{ at: string }>(`SELECT to_char(source_timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at FROM bronze_strava WHERE file_path = $1 AND raw_id = '2'`, [path]));
    expect(at).toBe('0044-03-15T12:00:00');
    expect(rows.get('3')).toMatchObject({ validation_status: 'valid', source_timestamp: null });
    expect(rows.get('4')!.source_timestamp?.toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(rows.get('5')).toMatchObject({ validation_status: 'valid', source_timestamp: null });
    expect(rows.get('6')!.source_timestamp?.toISOString()).toBe('2020-01-04T14:57:37.000Z');
  });

  it('hostile Activity IDs: NUL, 3,000 characters, none, repeated: each row kept, none merged', async () => {
    const long = `9${'8'.repeat(3000)}`;
    const path = file(`ids_${engine}`, 'activities.csv', csv([
      act('a\u0000b', 'Jan 1, 2024, 1:00:00 PM'), act('a\u0000c', 'Jan 1, 2024, 1:00:00 PM'), act(long, 'Jan 2, 2024, 1:00:00 PM'),
      act('', 'Jan 3, 2024, 1:00:00 PM'), act('77', 'Jan 4, 2024, 1:00:00 PM'), act('77', 'Jan 5, 2024, 1:00:00 PM'),
    ]));
    const r = await importTwice(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const rows = await rowsOf(db(), path, 'export_activities');
    expect(rows).toHaveLength(6);
    expect(new Set(rows.map((x) => x.raw_id)).size, 'no two rows share a raw_id').toBe(6);
    const ids = rows.map((x) => fromJsonbSafe(x.raw_data['Activity ID']));
    for (const id of ['a\u0000b', 'a\u0000c', long]) expect(ids).toContain(id);
    for (const x of rows) expect(x.raw_id.length).toBeLessThan(2700);
    expect(rows.find((x) => x.raw_data['Activity ID'] === '')).toMatchObject({ validation_status: 'invalid', error_message: expect.stringMatching(/no Activity ID/) });
    expect(rows.filter((x) => x.raw_id.startsWith('77')).map((x) => x.raw_id)).toEqual(['77', '77#2']);
  });

  it('BOM and CRLF; a Windows-1252 byte: read as text, no \\r or U+FFFD in a value; a UTF-8 BOM over Latin-1 bytes refused, named', async () => {
    // Each file its own ids: rows equal to stored ones would be stored once, under the first file.
    const text = (a: string, b: string) => csv([act(a, 'Jan 4, 2020, 2:57:37 PM', { 'Activity Name': 'Caf\u00e9 run' }), act(b, 'Jan 5, 2020, 2:57:37 PM')]).replace(/\n/g, '\r\n');
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const utf8 = file(`bom_${engine}`, 'activities.csv', Buffer.concat([bom, Buffer.from(text('601', '602'), 'utf8')]));
    const latin1 = file(`latin1_${engine}`, 'activities.csv', Buffer.from(text('611', '612'), 'latin1'));
    const r = await importTwice(db(), [utf8, latin1]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    for (const [path, a, b] of [[utf8, '601', '602'], [latin1, '611', '612']]) {
      const rows = await rowsOf(db(), path, 'export_activities');
      expect(rows.map((x) => [x.raw_id, x.raw_data['Activity Name']]), path).toEqual([[a, 'Caf\u00e9 run'], [b, `Run ${b}`]]);
      for (const x of rows) expect(JSON.stringify(x.raw_data)).not.toMatch(/\\r|\ufffd/);
    }
    // The BOM says UTF-8 and a byte is not: nothing is decoded lossily, the file fails naming it.
    const mixed = file(`mixed_${engine}`, 'activities.csv', Buffer.concat([bom, Buffer.from(text('621', '622'), 'latin1')]));
    const bad = await run(db(), [mixed]);
    expect(bad.status).toBe('failed');
    expect(bad.errors.join('; ')).toMatch(/activities\.csv: is not valid utf-8 \(in the bytes 0–\d+\)/);
  });

  it('`__proto__`, `constructor` and marker look-alike columns are ordinary keys, stored as written', async () => {
    const header = '__proto__,constructor,$bronze_escaped,$bronze_escaped_key:"z",v';
    const path = file(`columns_${engine}`, 'brand_new.csv', `${header}\n"{""polluted"": true}",x,"""x""",1,\u0000bronze-bigint:42\n`);
    const r = await importTwice(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const [row] = await rowsOf(db(), path, 'export_other_csv');
    const data = fromJsonbSafe(row.raw_data) as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe('{"polluted": true}');
    expect({ ...data }).toMatchObject({ constructor: 'x', $bronze_escaped: '"x"', '$bronze_escaped_key:"z"': '1', v: '\u0000bronze-bigint:42' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('activities.csv broken part-way inside the export: the rows before it, and every other entry, are stored', async () => {
    const good = Array.from({ length: 300 }, (_, i) => act(String(5000 + i), 'Feb 1, 2024, 8:00:00 AM', i === 0 ? { Filename: 'activities/42.gpx.gz' } : {}));
    // A quote never closed: csv-parse cannot say where the field ends, so nothing after it is a row.
    const broken = `${act('5300', 'Feb 2, 2024, 8:00:00 AM')}\n"5301,Feb 3, 2024, 8:00:00 AM`;
    const zip = await writeZip(join(dir, `broken_${engine}.zip`), {
      'activities.csv': csv([...good, broken]),
      'activities/42.gpx.gz': gzipSync(fixture('sportipy_1.gpx')),
      'bikes.csv': 'Bike Name,Bike Brand\nCommuter,Brompton\n',
    });
    const r = await run(db(), [zip]);
    expect(r.status).toBe('failed');
    expect(r.errors.join('; ')).toMatch(/1 entry of the export could not be read whole.*activities\.csv: line 303: not valid CSV from here on/);
    expect(await rowsOf(db(), zip, 'export_activities')).toHaveLength(301);
    // The first pass read activities.csv up to the damage too: the GPX is stored under its activity id.
    expect((await rowsOf(db(), zip, 'gpx_files')).map((x) => x.raw_id)).toEqual(['5000']);
    expect(await rowsOf(db(), zip, 'export_bikes')).toHaveLength(1);
    const again = await run(db(), [zip]);
    expect(again.inserted, 'the next run reads the file again and adds nothing').toBe(0);
  });
});
