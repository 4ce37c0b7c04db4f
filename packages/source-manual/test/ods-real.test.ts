import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { dataLikeNames } from '@bronze/core';
import { describeEachEngine } from '@bronze/testkit';
import manual from '../src/index.js';
import { expectedHeaderKeys } from './expected-keys.js';
import { file, rows, run } from './helpers.js';

/**
 * Real .ods files (tafia/calamine's and pyexcel/pyexcel-ods3's test files: LibreOffice,
 * OpenOffice, Excel and Excel Online wrote them) against their cells as read by
 * test/fixtures/ods/cells.py (Python's zipfile and xml.etree, no spreadsheet library): every
 * row below each sheet's header row (every row, when the first one holds values) is a record
 * of its stream, each value as the file holds it.
 */
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/ods/${name}`, import.meta.url));
const xlsxFixture = (name: string) => fileURLToPath(new URL(`./fixtures/xlsx/${name}`, import.meta.url));
type Cells = [number, string, string, string | null][];
interface Sheet {
  name: string;
  hidden: boolean;
  rows: [number, Cells][];
}
const expected = JSON.parse(readFileSync(fixture('expected-cells.json'), 'utf8')) as Record<string, { sheets: Sheet[] }>;

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
const streamOf = (file: string, sheet: Sheet) => `${snake(file.replace(/\.ods$/, ''))}_${snake(sheet.name)}`;
const NUMBER_TYPES = new Set(['float', 'percentage', 'currency']);

/** A value, not a name: a number other than a bare year, a date, a time, a boolean, or text a CSV header would call data. */
function dataLike([, type, text]: Cells[number]): boolean {
  if (NUMBER_TYPES.has(type)) return !(Number.isInteger(Number(text)) && Number(text) >= 1900 && Number(text) <= 2100);
  if (type === 'date' || type === 'time' || type === 'boolean') return true;
  return dataLikeNames([text]).length > 0;
}
const readsHeaderless = (sheet: Sheet) => (sheet.rows[0]?.[1] ?? []).filter(dataLike).length >= 2;
const recordsOf = (sheet: Sheet) => (readsHeaderless(sheet) ? sheet.rows.length : Math.max(0, sheet.rows.length - 1));

/** A cell's value as bronze keeps it: numbers as numbers (by value here; exact literals are checked in ods.test.ts), booleans, text as written. */
const valueOf = ([, type, text]: Cells[number]) => (NUMBER_TYPES.has(type) ? Number(text) : type === 'boolean' ? text === 'true' : text);

describeEachEngine('real .ods spreadsheets', (db) => {
  for (const [name, { sheets }] of Object.entries(expected)) {
    it(`${name}: ${sheets.map((s) => `${s.name} ${recordsOf(s)}${readsHeaderless(s) ? ' (no header row)' : ''}`).join(', ')} rows, every cell as the file holds it`, async () => {
      expect(manual.streams({}, { files: [fixture(name)] }).map((s) => s.name)).toEqual(sheets.map((s) => streamOf(name, s)));
      const r = await run(db(), [fixture(name)]);
      const records = sheets.reduce((n, s) => n + recordsOf(s), 0);
      expect(r.seen).toBe(records);
      expect(r.invalid).toBe(0);
      if (records) expect(r.status).toBe('succeeded');
      for (const sheet of sheets) {
        if (sheet.hidden) expect(r.notes.some((n) => n.startsWith(`${name}: sheet ${JSON.stringify(sheet.name)} (hidden, read too) → stream ${streamOf(name, sheet)}`))).toBe(true);
        const stored = (await rows(db(), streamOf(name, sheet))).sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row));
        const headerless = readsHeaderless(sheet);
        const header = headerless ? undefined : sheet.rows[0];
        const body = headerless ? sheet.rows : sheet.rows.slice(1);
        expect(stored.map((s) => s.metadata!.row)).toEqual(body.map(([n]) => n));
        for (const [i, [n, cells]] of body.entries()) {
          const keys = headerless ? Array.from({ length: cells[cells.length - 1][0] + 1 }, (_, c) => `column_${c + 1}`) : expectedHeaderKeys(header?.[1] ?? []);
          const want: Record<string, unknown> = Object.fromEntries(keys.map((k) => [k, '']));
          const formulas: Record<string, string> = {};
          for (const c of cells) {
            const key = keys[c[0]] ?? `column_${c[0] + 1}`;
            want[key] = valueOf(c);
            if (c[3] !== null) formulas[key] = c[3];
          }
          expect(stored[i].raw_data, `${sheet.name} row ${n}`).toEqual(want);
          expect(stored[i].metadata).toEqual({ sheet: sheet.name, row: n, ...(Object.keys(formulas).length ? { formulas } : {}) });
        }
      }
    });
  }

  it('number_rows_repeated.ods (Excel Online): 1,048,568 empty trailing rows of 16,384 empty cells cost nothing; a filled row repeated is that many equal records, #1, #2…', async () => {
    const started = Date.now();
    await run(db(), [fixture('number_rows_repeated.ods')], { force: true });
    expect(Date.now() - started).toBeLessThan(20_000);
    const stored = await rows(db(), 'number_rows_repeated_sheet1');
    expect(stored.map((s) => s.metadata!.row).sort()).toEqual([2, 3, 6, 8]);
    const ids = stored.map((s) => s.raw_id).sort();
    expect(new Set(ids.map((id) => id.replace(/#\d+$/, ''))).size).toBe(1);
    expect(ids.map((id) => id.replace(/^.*#/, ''))).toEqual(['1', '2', '3', '4']);
  });

  it('covered cells: an empty one under a merged area is "", one holding a value (covered.ods) keeps it', async () => {
    await run(db(), [fixture('merged_cells.ods'), fixture('covered.ods')], { force: true });
    expect((await rows(db(), 'merged_cells_sheet1')).find((s) => s.metadata!.row === 3)!.raw_data).toEqual({ A: '', B: '', C: 'C' });
    expect((await rows(db(), 'covered_sheet1')).map((s) => s.raw_data)).toEqual([{ a1: 'a2' }, { a1: 'a3' }]);
  });

  it('an annotation (comment) is not part of the cell text', async () => {
    await run(db(), [fixture('with-annotation.ods')], { options: { noHeader: true, stream: 'annotated' } });
    expect((await rows(db(), 'annotated_table1')).map((s) => s.raw_data)).toEqual([{ column_1: 'cell a.1' }]);
  });

  it('dates and times as the file writes them; source_timestamp from the dates (UTC), a time of day is no instant', async () => {
    const r = await run(db(), [fixture('date.ods')], { options: { timestampField: 'column_1', stream: 'dated' } });
    expect(r.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^date\.ods: sheet "Sheet1": row 1 \("2021-01-01", "15"\) reads as a record, not as column names/)]));
    const stored = (await rows(db(), 'dated_sheet1')).sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row));
    expect(stored.map((s) => s.raw_data.column_1)).toEqual(['2021-01-01', '2021-01-01T10:10:10', 'PT10H10M10S', 'PT10H10M10.123456S']);
    expect(stored.map((s) => s.source_timestamp?.toISOString() ?? null)).toEqual(['2021-01-01T00:00:00.000Z', '2021-01-01T10:10:10.000Z', null, null]);
    expect(stored.map((s) => s.validation_status)).toEqual(['valid', 'valid', 'warning', 'warning']);
  });

  it('the same table saved as .xlsx and as .ods (calamine\'s issues.*, any_sheets.*): the same streams, and the same raw_data and raw_id wherever the cells are equal; a date differs (an Excel serial, an ISO date)', async () => {
    const xlsx = manual.streams({ stream: 'same' }, { files: [xlsxFixture('issues.xlsx')] }).map((s) => s.name);
    expect(manual.streams({ stream: 'same' }, { files: [fixture('issues.ods')] }).map((s) => s.name)).toEqual(xlsx);
    const read = async (path: string, stream: string) => {
      await run(db(), [path], { options: { stream } });
      const out: Record<string, unknown[][]> = {};
      for (const s of ['issue2', 'issue6', 'spc_chrs', 'datatypes']) out[s] = (await rows(db(), `${stream}_${s}`)).map((x) => [x.raw_id, x.raw_data, x.metadata!.row]);
      return out;
    };
    const fromXlsx = await read(xlsxFixture('issues.xlsx'), 'from_xlsx');
    const fromOds = await read(fixture('issues.ods'), 'from_ods');
    for (const s of ['issue2', 'issue6', 'spc_chrs']) expect(fromOds[s], s).toEqual(fromXlsx[s]);
    const dated = (x: unknown[][]) => x.find((r) => r[2] === 6)![1];
    expect([dated(fromXlsx.datatypes), dated(fromOds.datatypes)]).toEqual([{ 1: 42663 }, { 1: '2016-10-20T00:00:00' }]);
    await run(db(), [xlsxFixture('any_sheets.xlsx')], { options: { stream: 'any_x' }, force: true });
    await run(db(), [fixture('any_sheets.ods')], { options: { stream: 'any_o' }, force: true });
    const visible = async (s: string) => (await rows(db(), s)).map((x) => [x.raw_id, x.raw_data]);
    expect(await visible('any_o_visible')).toEqual(await visible('any_x_visible'));
  });

  it('a password-protected .ods (encrypted parts) fails naming the file and the remedy; nothing stored', async () => {
    const before = file('kept-beside-encrypted.csv', 'a,b\n1,2\n');
    const r = await run(db(), [before, fixture('pass_protected.ods')]);
    expect(r.errors).toEqual([`${fixture('pass_protected.ods')}: is a password-protected (encrypted) .ods: its sheets cannot be read without the password; open it in LibreOffice, save it again without a password (File > Save As, "Save with password" unticked), then import that file`]);
    expect(await rows(db(), 'pass_protected')).toHaveLength(0);
    expect(await rows(db(), 'kept_beside_encrypted')).toHaveLength(1);
  });

  it('issue_594_dos.ods (a filled cell repeated 999,999,999 columns in a row repeated 999,999,999 times) fails at once as damage', async () => {
    const started = Date.now();
    const r = await run(db(), [fixture('issue_594_dos.ods')]);
    expect(r.errors).toEqual([`${fixture('issue_594_dos.ods')}: content.xml, sheet "Sheet1", row 1: a filled cell repeated to column 999999999, past the last column of a sheet (16384); the spreadsheet is damaged`]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
