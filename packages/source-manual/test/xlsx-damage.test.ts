import { expect, it } from 'vitest';
import { describeEachEngine } from '@bronze/testkit';
import { file, rows, run } from './helpers.js';
import { row, writeWorkbook } from './xlsx-workbook.js';
import { sheetRows } from '../src/xlsx/sheet-rows.js';
import { xmlEvents } from '../src/sheets/xml-events.js';

const header = row(1, { A: 'a', B: 'b' });

describeEachEngine('damaged and hostile .xlsx', (db, engine) => {
  it('a shared string index out of range fails the file naming sheet, part and cell; rows before it and the other files of the run are kept', async () => {
    const before = file(`before_${engine}.csv`, 'x,y\n1,2\n');
    const bad = await writeWorkbook(`sst_${engine}.xlsx`, {
      strings: ['one', 'two'],
      sheets: [{ name: 'S', rows: header + row(2, { A: 1, B: 2 }) + '<row r="3"><c r="A3"><v>3</v></c><c r="B3" t="s"><v>7</v></c></row>' + row(4, { A: 4 }) }],
    });
    const after = file(`after_${engine}.csv`, 'x,y\n3,4\n');
    const r = await run(db(), [before, bad, after]);
    expect(r.status).toBe('failed');
    expect(r.errors).toEqual([`${bad}: sheet "S" (xl/worksheets/sheet1.xml), cell B3: shared string "7" does not exist (the workbook's shared strings table holds 2); the workbook is damaged`]);
    expect(r.files).toMatchObject({ imported: 2, failed: 1 });
    expect((await rows(db(), `sst_${engine}_s`)).map((s) => s.raw_data)).toEqual([{ a: 1, b: 2 }]);
    expect(await rows(db(), `before_${engine}`)).toHaveLength(1);
    expect(await rows(db(), `after_${engine}`)).toHaveLength(1);
  });

  it('broken or cut-short sheet XML: the rows before the damage are stored, the error names the part, line and column', async () => {
    const broken = await writeWorkbook(`broken_${engine}.xlsx`, { sheets: [{ name: 'S', rows: `${header}${row(2, { A: 1 })}\n<row r="3"><c r="A3"><v>2</v></row>` }] });
    const r = await run(db(), [broken]);
    expect(r.errors).toEqual([expect.stringMatching(new RegExp(`^${broken}: xl/worksheets/sheet1\\.xml: XML broken at line 2, column \\d+: unexpected close tag`))]);
    expect(await rows(db(), `broken_${engine}_s`)).toHaveLength(1);
    const cut = await writeWorkbook(`cut_${engine}.xlsx`, { sheets: [{ name: 'S', rows: '' }], parts: { 'xl/worksheets/sheet1.xml': `<worksheet><sheetData>${header}${row(2, { A: 1 })}<row r="3">` } });
    expect((await run(db(), [cut])).errors).toEqual([`${cut}: xl/worksheets/sheet1.xml: the XML ends before its elements are closed (the part is cut short)`]);
    expect(await rows(db(), `cut_${engine}_s`)).toHaveLength(1);
  });

  it('a missing part, a missing relationship, a file that is no zip: one line naming the file and the part', async () => {
    const noSheet = await writeWorkbook(`no_sheet_${engine}.xlsx`, { sheets: [{ name: 'S', rows: header, part: 'worksheets/gone.xml' }], parts: { 'xl/worksheets/gone.xml': '' } });
    const unlisted = await writeWorkbook(`no_rel_${engine}.xlsx`, { sheets: [{ name: 'S', rows: header }], parts: { 'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>' } });
    const notZip = file(`not_zip_${engine}.xlsx`, 'date,amount\n2024-01-01,3\n');
    const r = await run(db(), [noSheet, unlisted, notZip]);
    expect(r.errors[0]).toMatch(new RegExp(`^${noSheet}: xl/worksheets/gone\\.xml: `));
    expect(r.errors.slice(1)).toEqual([
      `${unlisted}: sheet "S": xl/_rels/workbook.xml.rels has no relationship "rId10" naming its part; the workbook is damaged`,
      expect.stringMatching(new RegExp(`^${notZip}: not a readable zip archive: `)),
    ]);
  });

  it('a sheet inflating like a zip bomb is refused before it is inflated; a declared entity is never expanded; a cell past column XFD is damage', async () => {
    const bomb = await writeWorkbook(`bomb_${engine}.xlsx`, { sheets: [{ name: 'S', rows: header + ' '.repeat(80 * 1024 * 1024) }] });
    expect((await run(db(), [bomb])).errors).toEqual([expect.stringMatching(/zip entry xl\/worksheets\/sheet1\.xml: decompresses \d+× .* it looks like a zip bomb/)]);
    const laughs = '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>';
    const entity = await writeWorkbook(`entity_${engine}.xlsx`, { sheets: [{ name: 'S', rows: header }], parts: { 'xl/sharedStrings.xml': laughs } });
    expect((await run(db(), [entity])).errors).toEqual([expect.stringMatching(/xl\/sharedStrings\.xml: XML broken at line 1, column \d+: undefined entity/)]);
    const wide = await writeWorkbook(`wide_${engine}.xlsx`, { sheets: [{ name: 'S', rows: header + '<row r="2"><c r="XFE2"><v>1</v></c></row>' }] });
    expect((await run(db(), [wide])).errors).toEqual([`${wide}: sheet "S" (xl/worksheets/sheet1.xml), row 2: cell reference "XFE2" is not a cell of a sheet (columns A to XFD); the workbook is damaged`]);
  });

  it('.xls and .xlsb: a message saying to save as .xlsx or .csv', async () => {
    const xls = file(`old_${engine}.xls`, Buffer.from('d0cf11e0a1b11ae1', 'hex'));
    const xlsb = file(`binary_${engine}.xlsb`, 'PK');
    const r = await run(db(), [xls, xlsb]);
    expect(r.errors).toEqual([
      `${xls}: is an Excel 97–2003 workbook (.xls), which manual does not read: open it and save it as .xlsx (Excel Workbook) or .csv, then import that file`,
      `${xlsb}: is an Excel binary workbook (.xlsb), which manual does not read: open it and save it as .xlsx (Excel Workbook) or .csv, then import that file`,
    ]);
  });
});

it('a sheet streams: its first row is handed over after the first slice of XML, not after the whole part', async () => {
  let chunks = 0;
  async function* endless() {
    yield '<worksheet><sheetData>';
    for (;;) {
      chunks++;
      yield `<row r="${chunks}"><c r="A${chunks}"><v>${chunks}</v></c></row>`.repeat(100);
    }
  }
  const events = xmlEvents(endless(), 'big.xlsx', 'xl/worksheets/sheet1.xml');
  for await (const r of sheetRows(events, { path: 'big.xlsx', label: 'sheet "S"', sharedStrings: [], dateStyles: [] })) {
    expect(r).toEqual({ row: 1, cells: [{ col: 0, value: 1, dateStyled: false }] });
    break;
  }
  expect(chunks).toBeLessThan(10);
});
