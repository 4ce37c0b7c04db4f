import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fromJsonbSafe, selectedRows } from '@bronze/core';
import { describeEachEngine, POISON_TIMESTAMPS, type HostileRow, type TestDatabase } from '@bronze/testkit';
import { expect, it } from 'vitest';
import { run, tempDir } from './helpers/export-zip.js';

/**
 * The hostile-input suite's ideas (testkit, issue 17) on the export's activity files given
 * with --file, GPX and TCX parsed whole into one record each: poison and sloppy times, deep
 * nesting, entity tricks, `__proto__` names, a gzip cut short. Every file is stored (valid,
 * warning or invalid with its reason) and a forced re-import adds nothing. CSVs: hostile-export-csv.test.ts.
 */
const dir = tempDir();
const gpx = (body: string, head = '') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${head}<gpx creator="StravaGPX Android" version="1.1" xmlns="http://www.topografix.com/GPX/1/1">\n${body}\n</gpx>\n`;
const timed = (time: string) => gpx(` <metadata>\n  <time>${time}</time>\n </metadata>\n <trk><name>Run</name><trkseg><trkpt lat="40.9" lon="7.0"><ele>538.7</ele></trkpt></trkseg></trk>`);

function write(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function importTwice(db: TestDatabase, files: string[]) {
  const first = await run(db, files);
  const again = await run(db, files, { force: true });
  expect(again.inserted, `a forced re-import adds nothing (${again.errors.join('; ')})`).toBe(0);
  return first;
}
const rowOf = async (db: TestDatabase, filePath: string) => {
  const rows = await db.withSession((s) => selectedRows<HostileRow>(s, 'strava', { filePath }));
  expect(rows, filePath).toHaveLength(1);
  return rows[0];
};

describeEachEngine('strava export activity files: hostile input', (db, engine) => {
  it('decodes a GPX as its XML declaration says; bytes invalid in that encoding keep the file as its bytes, never U+FFFD', async () => {
    // Read as UTF-8 whatever it declared, a Latin-1 `Café` was stored `Caf\uFFFD`, valid, the byte gone.
    const latin1 = (declared: string) => Buffer.from(gpx(' <trk><name>Café à Zürich</name></trk>').replace('encoding="UTF-8"', declared), 'latin1');
    const declared = write(`latin1_${engine}.gpx`, latin1('encoding="ISO-8859-1"'));
    const undeclared = write(`latin1_undeclared_${engine}.gpx`, latin1(''));
    const utf16 = write(`utf16_${engine}.gpx`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(gpx(' <trk><name>Café</name></trk>').replace('UTF-8', 'UTF-16'), 'utf16le')]));
    const r = await importTwice(db(), [declared, undeclared, utf16]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const name = (row: HostileRow) => ((row.raw_data as { gpx: { trk: { name: { '#text': string }[] }[] } }).gpx.trk[0].name[0]['#text']);
    const ok = await rowOf(db(), declared);
    expect(ok.validation_status).toBe('valid');
    expect(name(ok)).toBe('Café à Zürich');
    expect(name(await rowOf(db(), utf16))).toBe('Café');
    const bad = await rowOf(db(), undeclared);
    expect(bad.validation_status).toBe('invalid');
    expect(bad.error_message).toMatch(/latin1_undeclared_.*\.gpx.*not valid utf-8 \(XML without an encoding declaration is UTF-8\)/);
    expect(Buffer.from((bad.raw_data as { textBase64: string }).textBase64, 'base64').equals(latin1(''))).toBe(true);
  });

  // Node 20.18.3+ decodes windows-1252's 0x80–0x9F as control characters (nodejs/node#56542):
  // `Joe’s` was stored with U+0092, valid. Windows apps write these bytes under encoding="ISO-8859-1" too.
  it('a windows-1252 GPX keeps its curly quotes, dashes and euro signs', async () => {
    const text = 'Run \u2013 5 \u20ac at Joe\u2019s \u201cDüsseldorf\u201d';
    const bytes = (declared: string) => Buffer.concat(gpx(` <trk><name>${text}</name></trk>`).replace('encoding="UTF-8"', declared).split(/(\u2013|\u20ac|\u2019|\u201c|\u201d|ü)/).map((part) =>
      ({ '\u2013': Buffer.from([0x96]), '\u20ac': Buffer.from([0x80]), '\u2019': Buffer.from([0x92]), '\u201c': Buffer.from([0x93]), '\u201d': Buffer.from([0x94]), ü: Buffer.from([0xfc]) })[part] ?? Buffer.from(part, 'ascii')));
    const files = [write(`cp1252_${engine}.gpx`, bytes('encoding="windows-1252"')), write(`cp1252_as_latin1_${engine}.gpx`, bytes('encoding="ISO-8859-1"'))];
    const r = await importTwice(db(), files);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    for (const f of files) {
      const row = await rowOf(db(), f);
      expect(row.validation_status).toBe('valid');
      expect((row.raw_data as { gpx: { trk: { name: { '#text': string }[] }[] } }).gpx.trk[0].name[0]['#text']).toBe(text);
    }
  });

  it('poison and sloppy times: out of range named in a warning, junk no date, no offset read as UTC in any zone', async () => {
    // testkit's poison timestamps that can be written as xsd:dateTime text, then what `new Date()` misreads.
    const poison = POISON_TIMESTAMPS.filter((t): t is string => typeof t === 'string');
    const sloppy = ['1', 'March 7', '2024-02-30T10:00:00Z', '2024-03-01T10:00:00'];
    const paths = [...poison, ...sloppy].map((t, i) => write(`time_${i}_${engine}.gpx`, timed(t)));
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Chatham'; // UTC+13:45 in March: a local reading would be 13h45 off
    try {
      const r = await importTwice(db(), paths);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    const rows = await Promise.all(paths.map((p) => rowOf(db(), p)));
    for (const [i, row] of rows.slice(0, poison.length).entries()) {
      expect(row, poison[i]).toMatchObject({ validation_status: 'warning', source_timestamp: null });
    }
    expect(rows[0].error_message).toMatch(/0000-01-01/);
    expect(rows[1].error_message).toMatch(/10000-01-01T07:59:59/);
    const [one, march, feb30, local] = rows.slice(poison.length);
    for (const row of [one, march, feb30]) expect(row).toMatchObject({ validation_status: 'valid', source_timestamp: null });
    expect(local.source_timestamp?.toISOString()).toBe('2024-03-01T10:00:00.000Z');
  });

  it('a TCX whose Id is 30 February has no timestamp (not 1 March)', async () => {
    const tcx = `<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities><Activity Sport="Running"><Id>2024-02-30T10:00:00Z</Id><Lap StartTime="2024-02-30T10:00:00Z"/></Activity></Activities></TrainingCenterDatabase>\n`;
    const path = write(`feb30_${engine}.tcx`, tcx);
    await importTwice(db(), [path]);
    expect(await rowOf(db(), path)).toMatchObject({ validation_status: 'valid', source_timestamp: null });
  });

  it('5,000 nested elements: stored invalid, named, with the record as text', async () => {
    const path = write(`deep_${engine}.gpx`, gpx(`<extensions>${'<x>'.repeat(5000)}1${'</x>'.repeat(5000)}</extensions>`));
    const r = await importTwice(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const row = await rowOf(db(), path);
    expect(row).toMatchObject({ validation_status: 'invalid', error_message: expect.stringMatching(/nested deeper than 1000 levels/) });
  });

  it('entity expansion and external entities are not followed: the file is stored invalid as text', async () => {
    const laughs = `<!DOCTYPE gpx [\n<!ENTITY a "ha">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('\n')}\n<!ENTITY secret SYSTEM "file:///etc/hostname">\n]>\n`;
    const path = write(`entities_${engine}.gpx`, gpx(' <metadata><desc>&j; &secret;</desc></metadata>', laughs));
    const started = Date.now();
    await importTwice(db(), [path]);
    expect(Date.now() - started, 'no billion laughs').toBeLessThan(60_000);
    const row = await rowOf(db(), path);
    expect(row).toMatchObject({ validation_status: 'invalid', error_message: expect.stringMatching(/XML broken at line \d+, column \d+: undefined entity/) });
    expect(JSON.stringify(row.raw_data).length, 'stored as written, nothing expanded').toBeLessThan(4000);
    expect(row.raw_data.text).toContain('<!ENTITY secret SYSTEM');
  });

  it('`__proto__` as an attribute and as an element name: ordinary keys, stored as written', async () => {
    const path = write(`proto_${engine}.gpx`, gpx(' <metadata __proto__="attr"><time>2024-03-01T10:00:00Z</time></metadata>\n <__proto__ polluted="true"/>'));
    const r = await importTwice(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const data = fromJsonbSafe((await rowOf(db(), path)).raw_data) as { gpx: Record<string, unknown> };
    const metadata = (data.gpx.metadata as Record<string, unknown>[])[0];
    expect(Object.getOwnPropertyDescriptor(metadata, '__proto__')?.value).toBe('attr');
    expect(Object.getOwnPropertyDescriptor(data.gpx, '__proto__')?.value).toEqual([{ polluted: 'true' }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a .gpx.gz cut short: stored invalid with the byte offset and the text inflated before it', async () => {
    const whole = gzipSync(timed('2024-03-01T10:00:00Z'));
    const path = write(`cut_${engine}.gpx.gz`, whole.subarray(0, whole.length - 12));
    const r = await importTwice(db(), [path]);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    const row = await rowOf(db(), path);
    expect(row).toMatchObject({ validation_status: 'invalid', error_message: expect.stringMatching(new RegExp(`gzip data damaged at byte \\d+ of ${whole.length - 12}`)) });
    expect(row.raw_data.beforeDamage).toMatch(/^<\?xml/);
    // And the .gz as given, so the bytes after the damage are not lost.
    expect(Buffer.from(row.raw_data.gzipBase64 as string, 'base64').equals(whole.subarray(0, whole.length - 12))).toBe(true);
  });
});
