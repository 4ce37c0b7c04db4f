import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeEachEngine, type TestDatabase } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { encode, savedAs, SPELLINGS, utf16WithoutMark } from './encodings.js';
import { gpx, rowsPerStream, run, tempDir, writeZip } from './helpers.js';

/**
 * An export saved again by hand in an encoding Node's TextDecoder reads (`Shift_JIS`,
 * `ISO-8859-5`, `KOI8-R`, declared by its XML declaration), or in UTF-16 without a byte order
 * mark: until 2026-12-02 the first was stored as one invalid row of unread bytes, the second
 * read as UTF-8 and every element kept as unread text. Now: the rows of the same text in UTF-8.
 */
const FIXTURES = join(import.meta.dirname, 'fixtures');
const cda = readFileSync(join(FIXTURES, 'apple-health-neo4j', 'export_cda.xml'), 'utf8');
/** The real excerpt cut by hand (damaged at lines 153, 176 and 547), its `é`s (lines 419, 422, after a damage) made `の`. */
const excerpt = readFileSync(join(FIXTURES, 'hkimport_exportSmall.xml'), 'utf8').replace('<?xml version="1.0" encoding="UTF-8"?>\n', '').replaceAll('é', 'の');

type Row = { stream: string; raw_id: string; line: number; raw_data: any; validation_status: string };
const rowsOf = (db: TestDatabase) =>
  db.withSession((s) => s.query<Row>(`SELECT stream, raw_id, (metadata->>'line')::int AS line, raw_data, validation_status FROM bronze_apple_health ORDER BY stream, raw_id`));
const replaced = (db: TestDatabase) =>
  db.withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_apple_health WHERE raw_data::text LIKE '%' || chr(65533) || '%'`));

describeEachEngine('apple_health: an XML part in an encoding read through TextDecoder, or in UTF-16 without its mark', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, bytes: Buffer) => {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, 'export.xml'), bytes);
    return join(dir, name, 'export.xml');
  };
  /** `a` and `b` imported into fresh databases of their own. */
  async function twoImports(a: string, b: string, check: (ra: Awaited<ReturnType<typeof run>>, dbA: TestDatabase, rb: Awaited<ReturnType<typeof run>>, dbB: TestDatabase) => Promise<void>) {
    const [dbA, dbB] = [await createTestDatabase(engine), await createTestDatabase(engine)];
    try {
      await check(await run(dbA, [a]), dbA, await run(dbB, [b]), dbB);
    } finally {
      await dbA.close();
      await dbB.close();
    }
  }

  it.each(['Shift_JIS', 'ISO-8859-5', 'KOI8-R'])('a real export saved again as %s: the rows, ids and values of the same text in UTF-8', async (label) => {
    const saved = savedAs(label);
    await twoImports(write(`read-${label}`, saved.bytes), write(`utf8-${label}`, saved.utf8), async (r, db, ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r).toMatchObject({ invalid: 0, warning: 0 });
      expect(ru.status).toBe('succeeded');
      expect(await rowsPerStream(db)).toEqual({ records: 2, workouts: 1, activity_summaries: 2, me: 1, export_info: 1 });
      expect(await rowsPerStream(db)).toEqual(await rowsPerStream(dbu));
      expect(await rowsOf(db)).toEqual(await rowsOf(dbu));
      expect(await replaced(db)).toEqual([{ n: 0 }]);
      const workout = (await rowsOf(db)).find((row) => row.stream === 'workouts')!;
      expect(workout.raw_data.WorkoutRoute[0].sourceName).toBe(SPELLINGS[label].name);
    });
  });

  it.each(['le', 'be'] as const)('a real export saved as UTF-16%s without its byte order mark, declaring UTF-16: the rows of the UTF-8 file', async (order) => {
    const { bytes, utf8 } = utf16WithoutMark(order, true);
    await twoImports(write(`utf16-${order}`, bytes), write(`utf16-${order}-utf8`, utf8), async (r, db, _ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r).toMatchObject({ invalid: 0, warning: 0 });
      expect(await rowsPerStream(db)).toEqual({ records: 2, workouts: 1, activity_summaries: 2, me: 1, export_info: 1 });
      expect(await rowsOf(db)).toEqual(await rowsOf(dbu));
    });
  });

  it('a Shift_JIS export with a byte not valid in Shift_JIS: none of it read, every byte kept in one invalid row, the message naming file, encoding and byte', async () => {
    const { bytes } = savedAs('Shift_JIS');
    const bad = Buffer.from(bytes);
    const at = bad.indexOf(Buffer.from([0xb1, 0x22])); // the halfwidth ｱ of the WorkoutRoute's sourceName, and its quote
    bad[at] = 0x81; // opens a two-byte character, which `"` cannot end
    const path = write('invalid-sjis', bad);
    const db = await createTestDatabase(engine);
    try {
      const r = await run(db, [path]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const rows = await rowsOf(db);
      expect(rows.map((row) => [row.stream, row.validation_status])).toEqual([['other_elements', 'invalid']]);
      const [{ value }] = rows.map((row) => row.raw_data);
      expect(value).toMatchObject({ file: 'export.xml', from_byte: 0, to_byte: bad.length });
      expect(Buffer.from(value.base64, 'base64').equals(bad)).toBe(true);
      const [{ error_message }] = await db.withSession((s) => s.query<{ error_message: string }>('SELECT error_message FROM bronze_apple_health'));
      expect(error_message).toContain(`${path}: its XML declaration says encoding="Shift_JIS", but its bytes from byte ${at.toLocaleString('en-US')} on are not Shift_JIS`);
      expect(r.notes.join('\n')).toContain(`${path}: its XML declaration says encoding="Shift_JIS"`);
    } finally {
      await db.close();
    }
  });

  it('a damaged export in Shift_JIS: read on after each damage, the elements the UTF-8 file\'s, the unread text the file\'s own bytes', async () => {
    const saved = savedAs('Shift_JIS', excerpt);
    await twoImports(write('damaged-sjis', saved.bytes), write('damaged-utf8', saved.utf8), async (r, db, _ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      const [rows, utf8Rows] = [await rowsOf(db), await rowsOf(dbu)];
      const elements = (rs: Row[]) => rs.filter((row) => row.stream !== 'other_elements');
      expect(elements(rows).length).toBe(39);
      expect(elements(rows)).toEqual(elements(utf8Rows));
      expect(JSON.stringify(rows)).toContain('Muffin W/ Brulのed Banana');
      const unreadOf = (rs: Row[]) => rs.filter((row) => row.stream === 'other_elements').map((row) => row.raw_data.value).sort((a, b) => a.from_byte - b.from_byte);
      const [unread, utf8Unread] = [unreadOf(rows), unreadOf(utf8Rows)];
      // The three damaged places at the UTF-8 file's bytes moved by the longer declaration (+4),
      // and past the two `の`s (two bytes each here, three in UTF-8) for the last.
      const shift = [4, 4, saved.bytes.length - saved.utf8.length];
      expect(unread.map((u) => u.from_byte)).toEqual(utf8Unread.map((u, i) => u.from_byte + shift[i]));
      // Each holds the file's own bytes, where it says they are (base64 were they not UTF-8), the UTF-8 file's text in Shift_JIS.
      const stored = unread.map((u) => (u.text !== undefined ? Buffer.from(u.text) : Buffer.from(u.base64, 'base64')));
      stored.forEach((bytes, i) => expect(bytes.equals(saved.bytes.subarray(unread[i].from_byte, unread[i].to_byte))).toBe(true));
      expect(stored.map((bytes) => new TextDecoder('shift_jis').decode(bytes))).toEqual(utf8Unread.map((u) => u.text));
      expect(unread.at(-1)).toMatchObject({ text: '</HealthData>\n', to_byte: saved.bytes.length });
    });
  });

  it('the Health app\'s zip, its parts saved again as Shift_JIS, ISO-8859-5 and UTF-16 without mark: the rows of the UTF-8 zip', async () => {
    const sjis = SPELLINGS.Shift_JIS;
    const withCharacters = cda.replace('<name use="CL">Tom Wallis</name>', '<name use="CL">Tom 太郎</name>').replace('<sourceName>Lifesum</sourceName>', '<sourceName>Lifesum の</sourceName>');
    const route = gpx(['2016-11-14T15:25:44Z', '2016-11-14T15:30:51Z']).replace('<name>Route</name>', '<name>Саши</name>');
    const utf8Declaration = '<?xml version="1.0" encoding="UTF-8"?>';
    const saved = savedAs('ISO-8859-5');
    const other = await writeZip(join(dir, 'zip-other.zip'), {
      'apple_health_export/export.xml': saved.bytes,
      'apple_health_export/export_cda.xml': encode(withCharacters.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="Shift_JIS"?>'), sjis),
      'apple_health_export/workout-routes/route_2016-11-14_7.30am.gpx': Buffer.from(route.replace(utf8Declaration, '<?xml version="1.0" encoding="UTF-16"?>'), 'utf16le').swap16(),
    });
    const utf8 = await writeZip(join(dir, 'zip-utf8.zip'), {
      'apple_health_export/export.xml': saved.utf8,
      'apple_health_export/export_cda.xml': withCharacters.replace('<?xml version="1.0"?>', utf8Declaration),
      'apple_health_export/workout-routes/route_2016-11-14_7.30am.gpx': route,
    });
    await twoImports(other, utf8, async (r, db, ru, dbu) => {
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r).toMatchObject({ invalid: 0, warning: 0 });
      expect(ru.status).toBe('succeeded');
      const rows = await rowsOf(db);
      expect(rows).toEqual(await rowsOf(dbu));
      expect(rows.filter((row) => row.stream === 'clinical_document').length).toBe(171);
      expect(JSON.stringify(rows)).toContain('Tom 太郎');
      expect(rows.find((row) => row.stream === 'workout_routes')!.raw_data.gpx.trk[0].name[0]['#text']).toBe('Саши');
      expect(await replaced(db)).toEqual([{ n: 0 }]);
    });
  });
});
