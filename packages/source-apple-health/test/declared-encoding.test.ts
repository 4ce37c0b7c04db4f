import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { FIXTURE, gpx, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

/**
 * Apple writes export.xml in UTF-8, but a file saved again by hand in an editor may declare a
 * single-byte encoding (`<?xml version="1.0" encoding="ISO-8859-1"?>`), which XML 1.0 §4.3.3
 * requires a reader to honour. Read as UTF-8, its non-ASCII bytes were stored as U+FFFD (with a
 * warning): the characters were lost. The real export of healthkit-to-sqlite (which has no
 * declaration of its own) holds two: the no-break space of "Apple Watch" (0xA0 in Latin-1) and
 * the ’ of "Simon’s iPhone" (0x92 in windows-1252, which the WHATWG Encoding Standard, as every
 * browser, reads for the label ISO-8859-1; one of the bytes Node's TextDecoder misreads,
 * nodejs/node#56542).
 */
const xml = readFileSync(FIXTURE, 'utf8');
const FIXTURES = join(import.meta.dirname, 'fixtures');
/** The real excerpt cut by hand (damaged at lines 153, 176 and 547), its `é`s at lines 419 and 422: in text read after a damage. */
const excerpt = readFileSync(join(FIXTURES, 'hkimport_exportSmall.xml'), 'utf8');
const cda = readFileSync(join(FIXTURES, 'apple-health-neo4j', 'export_cda.xml'), 'utf8');
const UTF8 = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** `text` in windows-1252, written by hand: ’ is 0x92 there, € 0x80; the other characters here are Latin-1. */
function windows1252(text: string): Buffer {
  const bytes = text.replaceAll('’', '\x92').replaceAll('€', '\x80');
  expect(bytes).not.toMatch(/[^\x00-\xff]/);
  return Buffer.from(bytes, 'latin1');
}

type Row = { stream: string; raw_id: string; line: number; raw_data: any; validation_status: string };
const rowsOf = (db: TestDatabase) =>
  db.withSession((s) =>
    s.query<Row>(`SELECT stream, raw_id, (metadata->>'line')::int AS line, raw_data, validation_status FROM bronze_apple_health ORDER BY stream, raw_id`),
  );
/** Rows holding U+FFFD anywhere in raw_data. */
const replaced = (db: TestDatabase) =>
  db.withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_apple_health WHERE raw_data::text LIKE '%' || chr(65533) || '%'`));
/** The byte offsets a damage note names (`(byte 9,276)`). */
const noteBytes = (notes: string[]) => [...notes.join('\n').matchAll(/\(byte ([\d,]+)\)/g)].map((m) => Number(m[1].replaceAll(',', '')));

describeEachEngine('apple_health: an XML part that declares its encoding', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, file: string, bytes: Buffer | string) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, file), bytes);
    return join(dir, name, file);
  };
  /** Runs `a` and `b` into fresh databases of their own and hands both over. */
  async function twoImports(a: string, b: string, check: (ra: Awaited<ReturnType<typeof run>>, dbA: TestDatabase, rb: Awaited<ReturnType<typeof run>>, dbB: TestDatabase) => Promise<void>) {
    const [dbA, dbB] = [await createTestDatabase(engine), await createTestDatabase(engine)];
    try {
      await check(await run(dbA, [a]), dbA, await run(dbB, [b]), dbB);
    } finally {
      await dbA.close();
      await dbB.close();
    }
  }

  it.each([
    ['encoding="ISO-8859-1"', '<?xml version="1.0" encoding="ISO-8859-1"?>\n', 'iso'],
    ["encoding='windows-1252' (single quotes)", "<?xml version='1.0' encoding='windows-1252'?>\n", 'cp'],
  ])('a real export saved again as %s: the rows, ids and values of the UTF-8 file, no U+FFFD', async (_name, declaration, folder) => {
    const bytes = windows1252(declaration + xml);
    expect([bytes.includes(0xa0), bytes.includes(0x92)]).toEqual([true, true]);
    const single = write(`single-${folder}`, 'export.xml', bytes);
    const utf8 = write(`utf8-${folder}`, 'export.xml', UTF8 + xml);
    await twoImports(single, utf8, async (r, db, ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r).toMatchObject({ invalid: 0, warning: 0 });
      expect(ru.status).toBe('succeeded');
      expect(await rowsPerStream(db)).toEqual(await rowsPerStream(dbu));
      expect(await rowsOf(db)).toEqual(await rowsOf(dbu));
      expect(await replaced(db)).toEqual([{ n: 0 }]);
      const workout = (await rowsOf(db)).find((row) => row.stream === 'workouts')!;
      expect([workout.raw_data.sourceName, workout.raw_data.WorkoutRoute[0].sourceName]).toEqual(['Apple\u00a0Watch', 'Simon’s iPhone']);
    });
  });

  it('a damaged export in ISO-8859-1: read on after each damage in it, the elements the UTF-8 file\'s, the bytes named the file\'s own', async () => {
    const bytes = windows1252(excerpt.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'));
    expect(bytes.includes(0xe9)).toBe(true);
    const single = write('damaged-single', 'export.xml', bytes);
    const utf8Bytes = Buffer.from(excerpt);
    const utf8 = write('damaged-utf8', 'export.xml', utf8Bytes);
    await twoImports(single, utf8, async (r, db, ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const [rows, utf8Rows] = [await rowsOf(db), await rowsOf(dbu)];
      const elements = (rs: Row[]) => rs.filter((row) => row.stream !== 'other_elements');
      expect(elements(rows)).toEqual(elements(utf8Rows));
      expect(JSON.stringify(rows)).toContain('Muffin W/ Bruléed Banana');
      expect(await replaced(db)).toEqual([{ n: 0 }]);
      // The three damaged places, at the UTF-8 file's bytes moved by the longer declaration
      // (+5), and past the two `é`s (one byte each here, two in UTF-8) for the last.
      const shift = [5, 5, bytes.length - utf8Bytes.length];
      expect(noteBytes(r.notes)).toEqual(noteBytes(ru.notes).map((b, i) => b + shift[i]));
      // Each unread text row holds the file's own bytes, where it says they are.
      const unread = rows.filter((row) => row.stream === 'other_elements').map((row) => row.raw_data.value).sort((a, b) => a.from_byte - b.from_byte);
      const utf8Unread = utf8Rows.filter((row) => row.stream === 'other_elements').map((row) => row.raw_data.value).sort((a, b) => a.from_byte - b.from_byte);
      expect(unread.map((u) => u.text)).toEqual(utf8Unread.map((u) => u.text));
      expect(unread.map((u) => u.from_byte)).toEqual(utf8Unread.map((u, i) => u.from_byte + shift[i]));
      for (const u of unread) expect(bytes.subarray(u.from_byte, u.to_byte).toString('latin1')).toBe(u.text);
      expect(unread.at(-1)).toMatchObject({ text: '</HealthData>\n', to_byte: bytes.length });
    });
  });

  it('the Health app\'s zip, its export.xml, export_cda.xml and a GPX route saved again as ISO-8859-1: the rows of the UTF-8 zip', async () => {
    // The real CDA holds only ASCII: `ä`, `é` and `€` (0x80 in windows-1252) are put into its patient's name and a sourceName;
    // the route is written by the tests (helpers.ts), its name given an `ü` and an `ß`.
    const withCharacters = cda.replace('<name use="CL">Tom Wallis</name>', '<name use="CL">Tom Wällis-Fé</name>').replace('<sourceName>Lifesum</sourceName>', '<sourceName>Lifesum €</sourceName>');
    const route = gpx(['2016-11-14T15:25:44Z', '2016-11-14T15:30:51Z']).replace('<name>Route</name>', '<name>Süßwasser</name>');
    const latin = '<?xml version="1.0" encoding="ISO-8859-1"?>';
    const single = await writeZip(join(dir, 'zip-single.zip'), {
      'apple_health_export/export.xml': windows1252(`${latin}\n${xml}`),
      'apple_health_export/export_cda.xml': windows1252(withCharacters.replace('<?xml version="1.0"?>', latin)),
      'apple_health_export/workout-routes/route_2016-11-14_7.30am.gpx': windows1252(route.replace(UTF8.trim(), latin)),
    });
    const utf8 = await writeZip(join(dir, 'zip-utf8.zip'), {
      'apple_health_export/export.xml': UTF8 + xml,
      'apple_health_export/export_cda.xml': withCharacters.replace('<?xml version="1.0"?>', UTF8.trim()),
      'apple_health_export/workout-routes/route_2016-11-14_7.30am.gpx': route,
    });
    await twoImports(single, utf8, async (r, db, ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r).toMatchObject({ invalid: 0, warning: 0 });
      expect(ru.status).toBe('succeeded');
      const rows = await rowsOf(db);
      expect(rows).toEqual(await rowsOf(dbu));
      expect(rows.filter((row) => row.stream === 'clinical_document').length).toBe(171);
      expect(JSON.stringify(rows)).toContain('Tom Wällis-Fé');
      expect(JSON.stringify(rows)).toContain('Lifesum €');
      expect(rows.find((row) => row.stream === 'workout_routes')!.raw_data.gpx.trk[0].name[0]['#text']).toBe('Süßwasser');
      expect(await replaced(db)).toEqual([{ n: 0 }]);
    });
  });

  // Encodings TextDecoder reads (Shift_JIS, ISO-8859-5…) are read: declared-other-encodings.test.ts.
  it.each([
    // Japanese in ISO-2022-JP, as mail is written: 太 郎 の between escape sequences, ASCII bytes that are no ASCII.
    ['ISO-2022-JP', 'iso-2022-jp', '太郎のiPhone', Buffer.concat([Buffer.from([0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x24, 0x4e, 0x1b, 0x28, 0x42]), Buffer.from('iPhone')])],
    // A label no decoder knows (the Mac's old Japanese, Shift_JIS's bytes here).
    ['x-mac-japanese', 'shift_jis', '太郎のiPhone', Buffer.concat([Buffer.from([0x91, 0xbe, 0x98, 0x59, 0x82, 0xcc]), Buffer.from('iPhone')])],
  ])('an export.xml declaring %s, an encoding bronze does not read: not read as UTF-8, the user told so, every byte kept', async (encoding, decoder, name, nameBytes) => {
    // The real export, its other characters made ASCII, "Simon’s iPhone" renamed in that encoding.
    const [before, after] = xml.replaceAll('\u00a0', ' ').split('Simon’s iPhone');
    const file = Buffer.concat([Buffer.from(`<?xml version="1.0" encoding="${encoding}"?>\n${before}`, 'latin1'), nameBytes, Buffer.from(after, 'latin1')]);
    // The bytes written by hand spell the name in that encoding (checked by ICU).
    expect(new TextDecoder(decoder).decode(file)).toContain(`sourceName="${name}"`);
    const path = write(`unread-${encoding}`, 'export.xml', file);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [path]);
      // Every byte is stored (the run does not fail, as for any damaged file), and the summary says why.
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.notes.join('\n')).toContain(`${path}: its XML declaration says encoding="${encoding}", which bronze does not read`);
      const rows = await rowsOf(db);
      expect(rows.map((row) => [row.stream, row.validation_status])).toEqual([['other_elements', 'invalid']]);
      const [{ value }] = rows.map((row) => row.raw_data);
      expect(value).toMatchObject({ file: 'export.xml', from_byte: 0, to_byte: file.length });
      // base64 unless the bytes are UTF-8 (ISO-2022-JP's are ASCII).
      expect((value.text !== undefined ? Buffer.from(value.text) : Buffer.from(value.base64, 'base64')).equals(file)).toBe(true);
      expect(await replaced(db)).toEqual([{ n: 0 }]);
      const [message] = await db.withSession((s) => s.query<{ error_message: string }>('SELECT error_message FROM bronze_apple_health'));
      expect(message.error_message).toContain(`encoding="${encoding}"`);
      expect(message.error_message).toContain(path);
    } finally {
      await db.close();
    }
  });
});
