import { constants, deflateRawSync, gzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { describeEachEngine, writeZip } from '@bronze/testkit';
import manual from '../src/index.js';
import { contentRows } from '../src/ods/content-rows.js';
import { inflateRawPieces } from '../src/sheets/inflate-sync.js';
import { xmlEvents } from '../src/sheets/xml-events.js';
import { file, rows, run } from './helpers.js';
import { cell, date, emptyRows, num, odsContent, odsParts, odsRow, writeOds } from './ods-spreadsheet.js';
import { row, writeWorkbook } from './xlsx-workbook.js';

const byRow = <T extends { metadata: Record<string, unknown> | null }>(r: T[]) => r.sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row));

describeEachEngine('.ods spreadsheets', (db, engine) => {
  it('a budget sheet: keyed by its header row; numbers exact, dates and times as written, booleans, formulas\' values (the formula in metadata), text as shown', async () => {
    const path = await writeOds(`budget_${engine}.ods`, [{
      name: 'Budget',
      rows:
        odsRow(['Date', 'What', 'Amount', 'Paid', 'Share', 'Note'].map((n) => cell(n))) +
        odsRow([date('2024-01-01'), cell('Bakery'), cell({ 'office:value-type': 'currency', 'office:currency': 'EUR', 'office:value': '3.10' }), cell({ 'office:value-type': 'boolean', 'office:boolean-value': 'true' }), cell({ 'office:value-type': 'percentage', 'office:value': '0.25' }),
          '<table:table-cell office:value-type="string"><text:p>two<text:s text:c="3"/>spaces,<text:tab/>a tab, <text:span>a span</text:span> and <text:a xlink:href="https://example.com" xmlns:xlink="http://www.w3.org/1999/xlink">a link</text:a></text:p><text:p>second<text:line-break/>line</text:p></table:table-cell>']) +
        odsRow([date('2024-01-02T12:30:00'), cell(''), cell({ 'office:value-type': 'float', 'office:value': '0.1000000000000000055511151231257827', 'table:formula': 'of:=[.C2]+7' }), cell({ 'office:value-type': 'boolean', 'office:boolean-value': 'false' }), cell({ 'office:value-type': 'time', 'office:time-value': 'PT10H30M00S' }), '<table:table-cell office:value-type="string" office:string-value="" calcext:value-type="error" table:formula="of:=1/0"><text:p>#DIV/0!</text:p></table:table-cell>']) +
        emptyRows(1048573),
    }]);
    const r = await run(db(), [path]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 2, invalid: 0, warning: 0 });
    expect(r.notes).toEqual(expect.arrayContaining([`budget_${engine}.ods: sheet "Budget" → stream budget_${engine}_budget: 2 rows; source_timestamp from Date`]));
    const stored = byRow(await rows(db(), `budget_${engine}_budget`));
    expect(stored.map((s) => s.raw_data)).toEqual([
      { Date: '2024-01-01', What: 'Bakery', Amount: 3.1, Paid: true, Share: 0.25, Note: 'two   spaces,\ta tab, a span and a link\nsecond\nline' },
      { Date: '2024-01-02T12:30:00', What: '', Amount: 0.1, Paid: false, Share: 'PT10H30M00S', Note: '#DIV/0!' },
    ]);
    expect(stored.map((s) => s.metadata)).toEqual([{ sheet: 'Budget', row: 2 }, { sheet: 'Budget', row: 3, formulas: { Amount: 'of:=[.C2]+7', Note: 'of:=1/0' } }]);
    expect(stored.map((s) => s.source_timestamp?.toISOString())).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-02T12:30:00.000Z']);
    const text = await db().withSession((s) => s.query<{ a: string }>(`SELECT raw_data->>'Amount' AS a FROM bronze_manual WHERE stream = $1 ORDER BY (metadata->>'row')::int`, [`budget_${engine}_budget`]));
    expect(text.map((t) => t.a)).toEqual(['3.10', '0.1000000000000000055511151231257827']);
  });

  it('the same table as .xlsx and as .ods: the same streams, records, raw_data and raw_ids', async () => {
    const xlsx = await writeWorkbook(`same_${engine}.xlsx`, { sheets: [
      { name: 'Costs 2024', rows: row(1, { A: 'What', B: 'Amount', C: 'Paid' }) + row(2, { A: 'Rent', B: 700.5, C: true }) + row(3, { A: 'Rent', B: 700.5, C: true }) + row(5, { A: 'Tax', C: false }) },
      { name: 'Notes', rows: row(1, { A: 'text' }) + row(2, { A: 'a & b <c>' }) },
    ] });
    const ods = await writeOds(`same_${engine}.ods`, [
      { name: 'Costs 2024', rows: odsRow([cell('What'), cell('Amount'), cell('Paid')]) + odsRow([cell('Rent'), num('700.5'), cell({ 'office:value-type': 'boolean', 'office:boolean-value': 'true' })], 2) + emptyRows(1) + odsRow([cell('Tax'), '<table:table-cell/>', cell({ 'office:value-type': 'boolean', 'office:boolean-value': 'false' })]) },
      { name: 'Notes', rows: odsRow([cell('text')]) + odsRow([cell('a & b <c>')]) },
    ]);
    const names = (p: string) => manual.streams({ stream: `same_${engine}` }, { files: [p] }).map((s) => s.name);
    expect(names(ods)).toEqual(names(xlsx));
    expect(names(ods)).toEqual([`same_${engine}_costs_2024`, `same_${engine}_notes`]);
    const read = async (p: string) => {
      const r = await run(db(), [p], { options: { stream: `same_${engine}` }, force: true });
      return { r, stored: await Promise.all(names(p).map(async (s) => byRow(await rows(db(), s)).map((x) => [x.raw_id, x.raw_data, x.metadata]))) };
    };
    const fromXlsx = await read(xlsx);
    const fromOds = await read(ods);
    expect(fromXlsx.r.inserted).toBe(4);
    expect(fromOds.r).toMatchObject({ inserted: 0, unchanged: 4 }); // the same records: nothing new
    expect(fromOds.stored).toEqual(fromXlsx.stored);
    expect(fromOds.stored[0].map((x) => String(x[0]).replace(/^row:[0-9a-f]+/, 'row'))).toEqual(['row#1', 'row#2', 'row#1']);
  });

  it('LibreOffice\'s padding (1,048,576 rows of 16,384 columns, every sheet) costs nothing; a filled row repeated 3,000 times is 3,000 records; a hidden sheet is read and named', async () => {
    const path = await writeOds(`padded_${engine}.ods`, [
      { name: 'Log', rows: odsRow([cell('kg')]) + emptyRows(5) + odsRow([num('72.5')], 3000) + emptyRows(1048576 - 3006) },
      { name: 'Empty', rows: emptyRows(1048576) },
      { name: 'Old', hidden: true, rows: odsRow([cell('kg')]) + odsRow([num('80')]) + emptyRows(1048574) },
    ]);
    const started = Date.now();
    const r = await run(db(), [path]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3001 });
    expect(r.notes).toEqual(expect.arrayContaining([
      `padded_${engine}.ods: sheet "Empty" → stream padded_${engine}_empty: no rows: nothing stored from it`,
      expect.stringMatching(new RegExp(`^padded_${engine}\\.ods: sheet "Old" \\(hidden, read too\\) → stream padded_${engine}_old: 1 row; `)),
    ]));
    const log = byRow(await rows(db(), `padded_${engine}_log`));
    expect([log.length, log[0].metadata!.row, log[2999].metadata!.row]).toEqual([3000, 7, 3006]);
    expect(new Set(log.map((s) => s.raw_id.replace(/#\d+$/, ''))).size).toBe(1);
  });

  it('a first row of values (dates, amounts) is no header: read without one, as a CSV file is, in .ods and .xlsx alike; --header keeps it as the names, every row warning', async () => {
    const ods = await writeOds(`headerless_${engine}.ods`, [{ name: 'S', rows: odsRow([date('2025-11-03'), cell('Bakery'), num('-5.5')]) + odsRow([date('2025-11-04'), cell('Rent'), num('-700')]) }]);
    const xlsx = await writeWorkbook(`headerless_${engine}.xlsx`, { styles: [0, 14], sheets: [{ name: 'S', rows: '<row r="1"><c r="A1" t="inlineStr"><is><t>03.11.2025</t></is></c><c r="B1" t="inlineStr"><is><t>Bakery</t></is></c><c r="C1"><v>-5.5</v></c></row>' + row(2, { A: '04.11.2025', B: 'Rent', C: -700 }) }] });
    for (const [p, prefix] of [[ods, `hl_ods_${engine}`], [xlsx, `hl_xlsx_${engine}`]] as const) {
      const r = await run(db(), [p], { options: { stream: prefix } });
      const stream = `${prefix}_s`;
      expect(r.notes).toEqual(expect.arrayContaining([expect.stringMatching(/: sheet "S": row 1 \(.*\) reads as a record, not as column names: read without a header row, every row a record keyed column_1, column_2…; --header reads that row as the names$/)]));
      const stored = byRow(await rows(db(), stream));
      expect(stored.map((s) => s.raw_data.column_3)).toEqual([-5.5, -700]);
      expect(stored.map((s) => s.source_timestamp?.toISOString())).toEqual(['2025-11-03T00:00:00.000Z', '2025-11-04T00:00:00.000Z']);
    }
    // A time typed in a cell (PT08H00M) is a value as much as a date is, though its text reads as none.
    const shift = await writeOds(`shift_${engine}.ods`, [{ name: 'S', rows: odsRow([cell({ 'office:value-type': 'time', 'office:time-value': 'PT08H00M00S' }), num('2.5')]) + odsRow([cell({ 'office:value-type': 'time', 'office:time-value': 'PT09H30M00S' }), num('3')]) }]);
    expect(await run(db(), [shift])).toMatchObject({ inserted: 2 });
    const r = await run(db(), [ods], { options: { noHeader: false, stream: `named_${engine}` } });
    expect(r).toMatchObject({ inserted: 1, warning: 1 });
    expect((await rows(db(), `named_${engine}_s`))[0].error_message).toMatch(/^the header row \(row 1 of sheet "S"\) holds values, not names \("2025-11-03", "-5.5"\)/);
  });

  it('text that is not the cell\'s: annotations, drawings, a table nested in a cell; a covered cell holding a value is kept; prefixes bound to other names read the same', async () => {
    const path = await writeOds(`hidden_text_${engine}.ods`, [{
      name: 'S',
      rows:
        odsRow([cell('a'), cell('b')]) +
        '<table:table-row><table:table-cell office:value-type="string"><office:annotation><dc:creator>me</dc:creator><text:p>a comment</text:p></office:annotation><text:p>sho<office:annotation><text:p>an inline comment</text:p></office:annotation>wn</text:p><draw:frame><draw:text-box><text:p>in a frame</text:p></draw:text-box></draw:frame></table:table-cell>' +
        '<table:covered-table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:covered-table-cell></table:table-row>' +
        '<table:table-row><table:table-cell office:value-type="string"><text:p>  spaced \n  out  </text:p><table:table><table:table-row><table:table-cell><text:p>nested</text:p></table:table-cell></table:table-row></table:table></table:table-cell></table:table-row>',
    }]);
    expect(await run(db(), [path])).toMatchObject({ status: 'succeeded', inserted: 2 });
    expect(byRow(await rows(db(), `hidden_text_${engine}_s`)).map((s) => s.raw_data)).toEqual([{ a: 'shown', b: 7 }, { a: 'spaced out', b: '' }]);
    const other = odsContent([{ name: 'P', rows: odsRow([cell('k')]) + odsRow([cell('v')]) }]).replace(/(<\/?| )table:/g, '$1t:').replace('xmlns:table=', 'xmlns:t=');
    const renamed = await writeZip(file(`prefixes_${engine}.ods`, ''), odsParts([], { 'content.xml': other }));
    expect(manual.streams({}, { files: [renamed] }).map((s) => s.name)).toEqual([`prefixes_${engine}_p`]);
    expect(await run(db(), [renamed])).toMatchObject({ status: 'succeeded', inserted: 1 });
  });

  it('a flat OpenDocument spreadsheet (.fods, one XML file) reads the same', async () => {
    const flat = odsContent([{ name: 'Flat', rows: odsRow([cell('k')]) + odsRow([cell('v')]) }]).replace(/office:document-content/g, 'office:document');
    const path = file(`flat_${engine}.fods`, flat);
    expect(manual.streams({}, { files: [path] }).map((s) => s.name)).toEqual([`flat_${engine}_flat`]);
    expect(await run(db(), [path])).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect((await rows(db(), `flat_${engine}_flat`))[0].raw_data).toEqual({ k: 'v' });
    const gz = file(`packed_flat_${engine}.fods.gz`, gzipSync(flat));
    expect(manual.streams({}, { files: [gz] }).map((s) => s.name)).toEqual([`packed_flat_${engine}_flat`]);
    expect(await run(db(), [gz])).toMatchObject({ status: 'succeeded', inserted: 1 });
  });
});

describeEachEngine('damaged and hostile .ods', (db, engine) => {
  const body = odsRow([cell('k')]) + odsRow([cell('v1')]) + odsRow([cell('v2')]);

  it('cut short or broken content.xml: the file fails naming the part, after storing the rows before the damage', async () => {
    const full = odsContent([{ name: 'S', rows: body + odsRow([cell('v3')]) }]);
    const cut = await writeOds(`cut_${engine}.ods`, [], { 'content.xml': full.slice(0, full.indexOf('v3')) });
    const r = await run(db(), [cut]);
    expect(r.errors).toEqual([`${cut}: content.xml: the XML ends before its elements are closed (the part is cut short)`]);
    expect((await rows(db(), `cut_${engine}_s`)).map((s) => s.raw_data)).toEqual([{ k: 'v1' }, { k: 'v2' }]);
    const broken = await writeOds(`broken_${engine}.ods`, [], { 'content.xml': full.replace('<text:p>v3', '<text:p v3') });
    expect((await run(db(), [broken])).errors).toEqual([expect.stringMatching(new RegExp(`^${broken}: content\\.xml: XML broken at line 1, column \\d+: `))]);
  });

  it('repeats past a sheet\'s end, a count that is no count, a cell of more than 8M characters: damage, named', async () => {
    const cases: [string, string, RegExp][] = [
      ['rows', odsRow([cell('v')], 16_777_216), /sheet "S", row 3: a filled row repeated to row 16777218, past the last row of a sheet \(16777216\); the spreadsheet is damaged$/],
      ['count', '<table:table-row table:number-rows-repeated="-1"/>', /sheet "S", row 3: table:number-rows-repeated "-1" is not a count; the spreadsheet is damaged$/],
      ['long', `<table:table-row><table:table-cell office:value-type="string"><text:p>${'<text:s text:c="1000000000"/>'.repeat(9)}</text:p></table:table-cell></table:table-row>`, /sheet "S", row 3: a cell of more than 8388608 characters, not a cell value; the spreadsheet is damaged$/],
    ];
    for (const [name, bad, message] of cases) {
      const path = await writeOds(`${name}_${engine}.ods`, [{ name: 'S', rows: odsRow([cell('k')]) + odsRow([cell('kept')]) + bad }]);
      const r = await run(db(), [path]);
      expect(r.errors, name).toEqual([expect.stringMatching(message)]);
      expect((await rows(db(), `${name}_${engine}_s`)).map((s) => s.raw_data), name).toEqual([{ k: 'kept' }]);
    }
  });

  it('not a spreadsheet: an OpenDocument text renamed .ods, a zip without content.xml, a file that is no zip, a gzipped .ods', async () => {
    const odt = await writeOds(`letter_${engine}.ods`, [], { mimetype: 'application/vnd.oasis.opendocument.text' });
    const empty = await writeZip(file(`nocontent_${engine}.ods`, ''), { mimetype: 'application/vnd.oasis.opendocument.spreadsheet' });
    const text = file(`text_${engine}.ods`, 'date,amount\n');
    const gz = file(`packed_${engine}.ods.gz`, Buffer.from('1f8b0800000000000003030000000000000000', 'hex'));
    const r = await run(db(), [odt, empty, text, gz]);
    expect(r.errors).toEqual([
      `${odt}: is an OpenDocument text (application/vnd.oasis.opendocument.text), not a spreadsheet: manual reads OpenDocument spreadsheets (.ods); save the table from LibreOffice Calc as .ods or .csv`,
      `${empty}: content.xml is missing (it holds the sheets); the workbook is damaged, or not an OpenDocument spreadsheet`,
      expect.stringMatching(new RegExp(`^${text}: not a readable zip archive: `)),
      `${gz}: a gzipped .ods: an .ods is compressed already; import the .ods itself`,
    ]);
  });
});

it('a sheet streams: its first row is handed over after the first slice of content.xml, not after the whole part', async () => {
  let chunks = 0;
  async function* endless() {
    yield '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">';
    for (;;) {
      chunks++;
      yield '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'.repeat(100);
    }
  }
  const seen = [];
  for await (const item of contentRows(xmlEvents(endless(), 'big.ods', 'content.xml', 'odf'), 'big.ods', 'content.xml')) {
    seen.push(item);
    if (item.kind === 'row') break;
  }
  expect(seen).toEqual([{ kind: 'sheet', name: 'S', hidden: false }, { kind: 'row', row: { row: 1, cells: [{ col: 0, value: 1, dateStyled: false }] } }]);
  expect(chunks).toBeLessThan(10);
});

it('the synchronous inflater (streams() lists an .ods file\'s sheets with it) gives zlib\'s bytes, a piece at a time: stored, fixed and dynamic blocks; damage throws', () => {
  const text = Buffer.from(Array.from({ length: 60_000 }, (_, i) => `row ${i}: ${i % 7 ? 'the same text again' : Math.sin(i)}`).join('\n'));
  const inflate = (packed: Buffer) => {
    let at = 0;
    const pieces: Buffer[] = [];
    inflateRawPieces((buf) => {
      const n = packed.copy(buf, 0, at);
      at += n;
      return n;
    }, (b) => pieces.push(b), Number.MAX_SAFE_INTEGER);
    return pieces;
  };
  for (const packed of [deflateRawSync(text, { level: 0 }), deflateRawSync(text, { level: 1 }), deflateRawSync(text, { level: 9 }), deflateRawSync(text, { strategy: constants.Z_FIXED })]) {
    const pieces = inflate(packed);
    expect(Buffer.concat(pieces).equals(text)).toBe(true);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThanOrEqual(1 << 17);
  }
  const packed = deflateRawSync(text);
  expect(() => inflate(packed.subarray(0, packed.length >> 1))).toThrow('deflate data ends early');
});

it('empty repeats are never expanded: a padded sheet gives its filled rows only, each numbered as the repeats count', async () => {
  const content = odsContent([{ name: 'S', rows: emptyRows(3) + odsRow([num('1')]) + emptyRows(1048576 - 4) }, { name: 'T', rows: emptyRows(1048576) }]);
  async function* once() {
    yield content;
  }
  const items = [];
  for await (const item of contentRows(xmlEvents(once(), 'padded.ods', 'content.xml', 'odf'), 'padded.ods', 'content.xml')) items.push(item);
  expect(items).toEqual([
    { kind: 'sheet', name: 'S', hidden: false },
    { kind: 'row', row: { row: 4, cells: [{ col: 0, value: 1, dateStyled: false }] } },
    { kind: 'end' },
    { kind: 'sheet', name: 'T', hidden: false },
    { kind: 'end' },
  ]);
});
