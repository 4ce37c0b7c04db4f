import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { expectedHeaderKeys } from './expected-keys.js';
import { file, rows, run } from './helpers.js';

/**
 * Real workbooks (tafia/calamine's test files: Excel, LibreOffice, Google Sheets, openpyxl)
 * against their cells as read by test/fixtures/xlsx/cells.py (Python's zipfile and
 * xml.etree, no spreadsheet library): every row below each sheet's header row is a record
 * of its stream, each value as the cell holds it.
 */
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/xlsx/${name}`, import.meta.url));
type Cells = [number, string, string][];
interface Sheet {
  name: string;
  state: string;
  part: string;
  rows: [number, Cells][];
}
const expected = JSON.parse(readFileSync(fixture('expected-cells.json'), 'utf8')) as Record<string, { date1904: boolean; sheets: Sheet[] }>;

/** The stream names a user reads in the README: the stem plus _<sheet>. */
function streamOf(workbook: string, sheet: Sheet): string {
  const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const stem = snake(workbook.replace(/\.xlsx$/, ''));
  return `${stem}_${snake(sheet.name)}`;
}

/** Header cells these workbooks style as dates: their names are the ISO dates, not the serials. */
const DATE_HEADERS: Record<string, Record<number, string>> = {
  'date.xlsx': { 0: '2021-01-01' },
  'date_1904.xlsx': { 0: '2021-01-01' },
  'date_quoted_format.xlsx': { 0: '2021-01-01' },
};

/**
 * A first row of two or more values (numbers other than a bare year 1900–2100, booleans) is
 * a record, not a header: the sheet is read without one (as a CSV file whose first line is
 * a booking), every row a record keyed column_<n>.
 */
function readsHeaderless(sheet: Sheet): boolean {
  const first = sheet.rows[0]?.[1] ?? [];
  return first.filter(([, type, text]) => type === 'b' || (type === 'n' && !(Number.isInteger(Number(text)) && Number(text) >= 1900 && Number(text) <= 2100))).length >= 2;
}

/** A cell's value as bronze keeps it: numbers as numbers (compared by value here; exact literals are checked below), booleans, text. */
const valueOf = ([, type, text]: Cells[number]) => (type === 'n' ? Number(text) : type === 'b' ? text === '1' : text);

describeEachEngine('real .xlsx workbooks', (db) => {
  for (const [workbook, { sheets }] of Object.entries(expected)) {
    it(`${workbook}: ${sheets.map((s) => `${s.name} ${readsHeaderless(s) ? `${s.rows.length} (no header row)` : Math.max(0, s.rows.length - 1)}`).join(', ')} rows, every cell as the workbook holds it`, async () => {
      const r = await run(db(), [fixture(workbook)]);
      const records = sheets.reduce((n, s) => n + (readsHeaderless(s) ? s.rows.length : Math.max(0, s.rows.length - 1)), 0);
      expect(r.seen).toBe(records);
      expect(r.invalid).toBe(0);
      for (const sheet of sheets) {
        const stored = (await rows(db(), streamOf(workbook, sheet))).sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row));
        const headerless = readsHeaderless(sheet);
        const header = headerless ? undefined : sheet.rows[0];
        const body = headerless ? sheet.rows : sheet.rows.slice(1);
        expect(stored.map((s) => s.metadata!.row)).toEqual(body.map(([n]) => n));
        for (const [i, [n, cells]] of body.entries()) {
          const keys = headerless ? Array.from({ length: cells[cells.length - 1][0] + 1 }, (_, c) => `column_${c + 1}`) : expectedHeaderKeys(header?.[1] ?? [], (i) => DATE_HEADERS[workbook]?.[i]);
          const want: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, '']));
          for (const c of cells) if (c[0] < keys.length || c[2] !== '') want[keys[c[0]] ?? `column_${c[0] + 1}`] = valueOf(c);
          expect(stored[i].raw_data, `${sheet.name} row ${n}`).toEqual(want);
          expect(stored[i].metadata).toMatchObject({ sheet: sheet.name, row: n });
        }
      }
      if (records) expect(r.status).toBe('succeeded');
    });
  }

  it('hidden and very hidden sheets are read and named in the summary; a chart sheet is named as holding no cells', async () => {
    const r = await run(db(), [fixture('any_sheets.xlsx')], { force: true });
    expect(r.notes).toEqual(expect.arrayContaining([
      'any_sheets.xlsx: sheet "Hidden" (hidden, read too) → stream any_sheets_hidden: no rows: nothing stored from it',
      'any_sheets.xlsx: sheet "VeryHidden" (veryHidden, read too) → stream any_sheets_very_hidden: no rows: nothing stored from it',
      expect.stringMatching(/^any_sheets\.xlsx: sheet "Chart" is a chartsheet \(xl\/chartsheets\/sheet1\.xml\), not a sheet of cells/),
    ]));
  });

  it('LibreOffice dates (yyyy\\-mm\\-dd) in the 1900 and 1904 systems give the same source_timestamp; the number is stored as written', async () => {
    for (const name of ['date.xlsx', 'date_1904.xlsx']) {
      // Row 3 holds a duration ([hh]:mm:ss), not a date: the column is 2/3 dates, so it is named.
      const stream = `${name.replace('.xlsx', '')}_no_header`;
      await run(db(), [fixture(name)], { options: { noHeader: true, timestampField: 'column_1', stream } });
      const stored = await rows(db(), `${stream}_sheet1`);
      const first = stored.find((s) => s.metadata?.row === 1)!;
      expect(first.raw_data.column_1).toBe(name === 'date.xlsx' ? 44197 : 42735);
      expect(first.source_timestamp?.toISOString()).toBe('2021-01-01T00:00:00.000Z');
    }
  });

  it('Excel\'s built-in date format 14 (issues.xlsx) and formats with quoted text (openpyxl\'s date_quoted_format.xlsx) are dates', async () => {
    const r = await run(db(), [fixture('date_quoted_format.xlsx')], { options: { noHeader: true, stream: 'quoted_formats' } });
    expect(r.notes.some((n) => n.includes('source_timestamp from column_1 (Excel dates, 1900 date system)'))).toBe(true);
    const stored = await rows(db(), 'quoted_formats_sheet1');
    expect(stored.map((s) => s.source_timestamp?.toISOString())).toEqual(Array(4).fill('2021-01-01T00:00:00.000Z'));
    await run(db(), [fixture('issues.xlsx')], { options: { noHeader: true, timestampField: 'column_1', stream: 'issues_no_header' } });
    const dated = (await rows(db(), 'issues_no_header_datatypes')).find((s) => s.metadata?.row === 6)!;
    expect(dated.raw_data).toEqual({ column_1: 42663 });
    expect(dated.source_timestamp?.toISOString()).toBe('2016-10-20T00:00:00.000Z');
  });

  it('formulas: the cached value in raw_data, the formula text in metadata.formulas', async () => {
    await run(db(), [fixture('errors.xlsx')], { options: { noHeader: true, stream: 'errors_no_header' } });
    const stored = await rows(db(), 'errors_no_header_feuil1');
    const na = stored.find((s) => s.metadata?.row === 7)!;
    expect(na.raw_data).toEqual({ column_1: '#N/A' });
    expect(na.metadata).toEqual({ sheet: 'Feuil1', row: 7, formulas: { column_1: 'VLOOKUP(B1,B1,B1,3)' } });
  });

  it('Google Sheets writes 72.0: the literal is kept (jsonb numeric), not 72', async () => {
    await run(db(), [fixture('temperature.xlsx')], { force: true });
    const text = await db().withSession((s) => s.query<{ v: string }>(`SELECT raw_data->>'value' AS v FROM bronze_manual WHERE stream = 'temperature_sheet1' ORDER BY (metadata->>'row')::int`));
    expect(text.map((t) => t.v)).toEqual(['22.2222', '72.0']);
  });

  it('_x000D_ in a shared string is the carriage return Excel wrote it for', async () => {
    await run(db(), [fixture('has_x000D_.xlsx')], { options: { noHeader: true } });
    expect((await rows(db(), 'has_x000_d_sheet1'))[0].raw_data).toEqual({ column_1: 'ABC\r\nDEF' });
  });

  it('LibreOffice\'s phonetic guide (<rPh>, furigana) is not part of the text', async () => {
    await run(db(), [fixture('rph.xlsx')], { options: { noHeader: true, stream: 'rph_no_header' } });
    expect((await rows(db(), 'rph_no_header_sheet1'))[0].raw_data).toEqual({ column_1: '課きく\u3000毛こ' });
  });

  it('a damaged zip (issue252.xlsx: an entry longer than it declares) fails the file naming the part; the rows of the other files of the run stay', async () => {
    const good = file('kept-before-damage.csv', 'a,b\n1,2\n');
    const r = await run(db(), [good, fixture('issue252.xlsx')]);
    expect(r.status).not.toBe('succeeded');
    expect(r.errors).toEqual([expect.stringMatching(/issue252\.xlsx: zip entry xl\/_rels\/workbook\.xml\.rels: its compressed data is damaged \(too many bytes in the stream/)]);
    expect(await rows(db(), 'kept_before_damage')).toHaveLength(1);
  });

  it('a password-protected workbook (an encrypted compound file, not a zip) is named as such', async () => {
    const r = await run(db(), [fixture('pass_protected.xlsx')]);
    expect(r.errors).toEqual([expect.stringMatching(/pass_protected\.xlsx: is not an \.xlsx zip: it is an encrypted \(password-protected\) workbook or an old binary \.xls; open it, remove the password, and save it as \.xlsx/)]);
  });
});
