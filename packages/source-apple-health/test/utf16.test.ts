import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine, type TestDatabase } from '@bronze/testkit';
import { afterAll, expect, it } from 'vitest';
import { FIXTURE, rowsPerStream, run, tempDir } from './helpers.js';

/**
 * A real export.xml (healthkit-to-sqlite's, with a no-break space in "Apple Watch") saved
 * again as UTF-16, as a Windows editor does ("Unicode"): XML requires every reader to take
 * UTF-16 with its byte order mark. Read as UTF-8, every element was stored as unread text
 * ("XML broken at line 1, column 3"), the run said succeeded.
 */
const xml = readFileSync(FIXTURE, 'utf8');
/** The fixture's elements, counted by tag in the text (it is indented by 4 spaces). */
const inFile = (tag: string) => xml.split(`\n    <${tag} `).length - 1;
const BOM = '\uFEFF';

function utf16(text: string, order: 'le' | 'be'): Buffer {
  const le = Buffer.from(BOM + text, 'utf16le');
  return order === 'le' ? le : Buffer.from(le).swap16();
}

type Row = { stream: string; raw_id: string; line: number; raw_data: unknown };
const rowsOf = (db: TestDatabase) =>
  db.withSession((s) => s.query<Row>(`SELECT stream, raw_id, (metadata->>'line')::int AS line, raw_data FROM bronze_apple_health ORDER BY stream, raw_id`));

describeOneEngine('apple_health: an export.xml in UTF-16', (_db, engine) => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const order of ['le', 'be'] as const) {
    it(`UTF-16${order.toUpperCase()} with its byte order mark: every element, as in the UTF-8 file`, async () => {
      mkdirSync(join(dir, order), { recursive: true });
      const path = join(dir, order, 'export.xml');
      writeFileSync(path, utf16(xml, order));
      const [utf16Db, utf8Db] = [await createTestDatabase(engine), await createTestDatabase(engine)];
      try {
        const r = await run(utf16Db, [path]);
        expect(r.status, r.errors.join('; ')).toBe('succeeded');
        expect(r.notes.join('\n')).not.toContain('damaged');
        expect(r).toMatchObject({ invalid: 0, warning: 0 });
        expect(await rowsPerStream(utf16Db)).toEqual({
          records: inFile('Record'),
          workouts: inFile('Workout'),
          activity_summaries: inFile('ActivitySummary'),
          me: inFile('Me'),
          export_info: inFile('ExportDate'),
        });
        // The same rows, ids and values as the UTF-8 original gives.
        expect((await run(utf8Db, [FIXTURE])).status).toBe('succeeded');
        expect(await rowsOf(utf16Db)).toEqual(await rowsOf(utf8Db));
      } finally {
        await utf16Db.close();
        await utf8Db.close();
      }
    });
  }

  it('a UTF-16 file cut short: the elements before the cut, and the cut text in a row holding the file\'s own bytes', async () => {
    const whole = utf16(xml, 'le');
    // Cut inside the Workout: ExportDate, Me and the two Records before it are complete.
    const cut = whole.subarray(0, whole.indexOf(Buffer.from('<WorkoutRoute', 'utf16le')));
    const path = join(dir, 'cut', 'export.xml');
    mkdirSync(join(dir, 'cut'), { recursive: true });
    writeFileSync(path, cut);
    const fresh = await createTestDatabase(engine);
    try {
      const r = await run(fresh, [path]);
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(await rowsPerStream(fresh)).toEqual({ records: inFile('Record'), me: 1, export_info: 1, other_elements: 1 });
      const [unread] = (await rowsOf(fresh)).filter((row) => row.stream === 'other_elements') as { raw_data: any }[];
      const { from_byte, to_byte, text, base64 } = unread.raw_data.value;
      expect(to_byte).toBe(cut.length);
      const stored = text !== undefined ? Buffer.from(text) : Buffer.from(base64, 'base64');
      expect(stored.equals(cut.subarray(from_byte))).toBe(true);
      // It starts where the last complete element (the second Record) ends.
      expect(cut.subarray(from_byte).toString('utf16le')).toMatch(/^\n {4}<Workout /);
    } finally {
      await fresh.close();
    }
  });
});
