import { expect, it } from 'vitest';
import { describeEachEngine, writeZip } from '@bronze/testkit';
import manual from '../src/index.js';
import { file, rows, run } from './helpers.js';
import { row, workbookParts, writeWorkbook } from './xlsx-workbook.js';

const DATE = 1; // style 1: built-in numFmt 14 (m/d/yyyy)
const CUSTOM_DATE = 2; // style 2: custom "dd.mm.yyyy hh:mm"
const AMOUNT = 3; // style 3: custom '#,##0.00 "€"' (no date)
const styles = { styles: [0, 14, 164, 165], numFmts: { 164: 'dd.mm.yyyy hh:mm', 165: '#,##0.00" €";[Red]-#,##0.00" €"' } };

describeEachEngine('.xlsx workbooks', (db, engine) => {
  it('a budget sheet: one record per row keyed by the header, values as the cells hold them, dates from the date-styled column', async () => {
    const path = await writeWorkbook(`budget_${engine}.xlsx`, {
      ...styles,
      strings: ['Date', 'What', 'Amount', 'Paid', 'Bakery', 'Rent'],
      sheets: [{
        name: 'Budget',
        rows: [
          '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>',
          `<row r="2"><c r="A2" s="${DATE}"><v>45292</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" s="${AMOUNT}"><v>3.10</v></c><c r="D2" t="b"><v>1</v></c></row>`,
          // Sparse: no B3, and cells without r after C3.
          `<row r="3"><c r="A3" s="${DATE}"><v>45293.5</v></c><c r="C3" s="${AMOUNT}"><f>SUM(C2,7)</f><v>10.1</v></c><c t="b"><v>0</v></c></row>`,
          '<row r="5"><c r="B5" t="s"><v>5</v></c><c r="C5"><v>0.1000000000000000055511151231257827</v></c><c r="F5" t="e"><v>#N/A</v></c></row>',
          '<row r="6"><c r="A6" s="1"/><c r="B6" t="inlineStr"><is><t/></is></c></row>', // styled, empty: no row
        ].join(''),
      }],
    });
    const r = await run(db(), [path]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3, invalid: 0, warning: 0 });
    expect(r.notes).toEqual(expect.arrayContaining([
      `budget_${engine}.xlsx: sheet "Budget": row 5 have cells right of the header's 4 columns; kept as "column_<n>" (n: the column's position)`,
      `budget_${engine}.xlsx: sheet "Budget" → stream budget_${engine}_budget: 3 rows; source_timestamp from Date (Excel dates, 1900 date system)`,
    ]));
    const stored = await rows(db(), `budget_${engine}_budget`);
    stored.sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row));
    expect(stored.map((s) => s.raw_data)).toEqual([
      { Date: 45292, What: 'Bakery', Amount: 3.1, Paid: true },
      { Date: 45293.5, What: '', Amount: 10.1, Paid: false },
      { Date: '', What: 'Rent', Amount: 0.1, Paid: '', column_6: '#N/A' },
    ]);
    expect(stored.map((s) => s.metadata)).toEqual([
      { sheet: 'Budget', row: 2 },
      { sheet: 'Budget', row: 3, formulas: { Amount: 'SUM(C2,7)' } },
      { sheet: 'Budget', row: 5 },
    ]);
    expect(stored.map((s) => s.source_timestamp?.toISOString() ?? null)).toEqual(['2024-01-01T00:00:00.000Z', '2024-01-02T12:00:00.000Z', null]);
    // Numbers are kept as written (jsonb numeric): 3.10 stays 3.10, 0.1000…27 keeps its digits.
    const text = await db().withSession((s) => s.query<{ a: string }>(`SELECT raw_data->>'Amount' AS a FROM bronze_manual WHERE stream = $1 ORDER BY (metadata->>'row')::int`, [`budget_${engine}_budget`]));
    expect(text.map((t) => t.a)).toEqual(['3.10', '10.1', '0.1000000000000000055511151231257827']);
  });

  it('several sheets: a stream each (<file>_<sheet>), hidden ones read and named; --stream is the prefix; a workbook of one sheet is named so too (a sheet added later moves nothing)', async () => {
    const sheets = [
      { name: 'Income 2024', rows: row(1, { A: 'id', B: 'euro' }) + row(2, { A: 'i1', B: 100 }) },
      { name: 'Costs', state: 'hidden' as const, rows: row(1, { A: 'id', B: 'euro' }) + row(2, { A: 'c1', B: 20 }) + row(3, { A: 'c2', B: 30 }), part: 'worksheets/costs-data.xml' },
      { name: 'Notes', rows: '' },
    ];
    const path = await writeWorkbook(`Family Budget ${engine}.xlsx`, { sheets });
    expect(manual.streams({}, { files: [path] }).map((s) => s.name)).toEqual([`family_budget_${engine}_income_2024`, `family_budget_${engine}_costs`, `family_budget_${engine}_notes`]);
    const r = await run(db(), [path]);
    expect(r).toMatchObject({ status: 'succeeded', inserted: 3 });
    expect(r.notes).toEqual(expect.arrayContaining([
      expect.stringMatching(new RegExp(`^Family Budget ${engine}\\.xlsx: sheet "Costs" \\(hidden, read too\\) → stream family_budget_${engine}_costs: 2 rows; `)),
      `Family Budget ${engine}.xlsx: sheet "Notes" → stream family_budget_${engine}_notes: no rows: nothing stored from it`,
    ]));
    expect((await rows(db(), `family_budget_${engine}_costs`)).map((s) => s.raw_id)).toEqual(['c1', 'c2']);
    expect(manual.streams({ stream: 'money' }, { files: [path] }).map((s) => s.name)).toEqual(['money_income_2024', 'money_costs', 'money_notes']);
    const one = await writeWorkbook(`one_${engine}.xlsx`, { sheets: [sheets[0]] });
    expect(manual.streams({ stream: 'money' }, { files: [one] }).map((s) => s.name)).toEqual(['money_income_2024']);
    expect(manual.streams({}, { files: [one] }).map((s) => s.name)).toEqual([`one_${engine}_income_2024`]);
  });

  it('an .xlsm whose workbook part is where _rels/.rels says (not assumed xl/workbook.xml), and its sheets where its .rels say', async () => {
    const parts = workbookParts({ sheets: [{ name: 'S', rows: row(1, { A: 'k' }) + row(2, { A: 'v' }), part: 'data/first.xml' }] });
    const moved = Object.fromEntries(Object.entries(parts).map(([name, body]) => [name.replace(/^xl\//, 'book/'), name === '_rels/.rels' ? String(body).replace('xl/workbook.xml', '/book/workbook.xml') : body]));
    const path = await writeZip(file(`moved_${engine}.xlsm`, ''), moved);
    expect(await run(db(), [path])).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect((await rows(db(), `moved_${engine}_s`))[0]).toMatchObject({ raw_data: { k: 'v' }, metadata: { sheet: 'S', row: 2 } });
  });

  it('ids as for CSV: --id-field, else a row hash numbered by core, so two equal rows (two coffees on one day) are two records; a re-import adds nothing', async () => {
    const coffee = row(2, { A: 'coffee', B: 3.5 }).replace('r="2"', 'r="2"');
    const path = await writeWorkbook(`coffee_${engine}.xlsx`, { sheets: [{ name: 'S', rows: row(1, { A: 'what', B: 'price' }) + coffee + row(3, { A: 'coffee', B: 3.5 }) }] });
    expect(await run(db(), [path])).toMatchObject({ inserted: 2 });
    const ids = (await rows(db(), `coffee_${engine}_s`)).map((s) => s.raw_id).sort();
    expect(ids[0]).toMatch(/^row:[0-9a-f]{64}#1$/);
    expect(ids[1]).toBe(ids[0].replace('#1', '#2'));
    expect(await run(db(), [path])).toMatchObject({ seen: 0, files: { skipped: 1 } });
    expect(await run(db(), [path], { force: true })).toMatchObject({ inserted: 0, unchanged: 2 });
    const byId = await writeWorkbook(`ids_${engine}.xlsx`, { sheets: [{ name: 'S', rows: row(1, { A: 'ref', B: 'x' }) + row(2, { A: 'r1', B: 1 }) + row(3, { B: 2 }) }] });
    const r = await run(db(), [byId], { options: { idField: 'ref' } });
    expect(r).toMatchObject({ inserted: 2, invalid: 1 });
  });

  it('Excel date serials: the 1900 system with its fake 1900-02-29, the 1904 system, a custom date-time format, a time-only value', async () => {
    const dates = (date1904: boolean, values: number[]) =>
      writeWorkbook(`serials_${date1904 ? 1904 : 1900}_${engine}.xlsx`, {
        ...styles, date1904,
        sheets: [{ name: 'S', rows: row(1, { A: 'when' }) + values.map((v, i) => `<row r="${i + 2}"><c r="A${i + 2}" s="${CUSTOM_DATE}"><v>${v}</v></c></row>`).join('') }],
      });
    // 2 of 6 values are no instant, too few dates to detect the column: named.
    await run(db(), [await dates(false, [1, 59, 60, 61, 45292.75, 0.5])], { options: { timestampField: 'when' } });
    const s1900 = await rows(db(), `serials_1900_${engine}_s`);
    s1900.sort((a, b) => Number(a.metadata!.row) - Number(b.metadata!.row));
    expect(s1900.map((s) => s.source_timestamp?.toISOString() ?? s.error_message)).toEqual([
      '1900-01-01T00:00:00.000Z', '1900-02-28T00:00:00.000Z',
      'timestamp: when: 60 is 1900-02-29 in Excel\'s 1900 date system, a day that did not exist; stored without source_timestamp',
      '1900-03-01T00:00:00.000Z', '2024-01-01T18:00:00.000Z',
      'timestamp: when is 0.5, not a date',
    ]);
    const r = await run(db(), [await dates(true, [0, 43831])]);
    expect(r.notes.some((n) => n.endsWith('source_timestamp from when (Excel dates, 1904 date system)'))).toBe(true);
    const s1904 = await rows(db(), `serials_1904_${engine}_s`);
    expect(s1904.map((s) => s.source_timestamp?.toISOString()).sort()).toEqual(['1904-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z']);
  });

  it('a workbook with no row below any header is a failed file with a note, never a silent success', async () => {
    const path = await writeWorkbook(`header_only_${engine}.xlsx`, { sheets: [{ name: 'S', rows: row(1, { A: 'a', B: 'b' }) }] });
    const r = await run(db(), [path]);
    expect(r).toMatchObject({ inserted: 0, files: { imported: 0, failed: 1 } });
    expect(r.notes).toEqual(expect.arrayContaining([
      `header_only_${engine}.xlsx: sheet "S" → stream header_only_${engine}_s: only a header row (row 1): nothing stored from it; if it is data, import it again with --no-header --force`,
      expect.stringMatching(/^0 records from .*header_only_.*\.xlsx: nothing stored, the file is not marked imported$/),
    ]));
  });

  it('a header row of values warns every row and names --no-header; --no-header keys cells column_1, column_2…', async () => {
    const path = await writeWorkbook(`numbers_${engine}.xlsx`, { sheets: [{ name: 'S', rows: row(1, { A: 1.5, B: 'x' }) + row(2, { A: 2.5, C: 'y' }) }] });
    const warned = await run(db(), [path]);
    expect(warned).toMatchObject({ inserted: 1, warning: 1 });
    expect((await rows(db(), `numbers_${engine}_s`))[0].error_message).toBe('the header row (row 1 of sheet "S") holds values, not names ("1.5"): if the sheet has no header row, import it again with --no-header --force (columns column_1, column_2…)');
    await run(db(), [path], { options: { noHeader: true }, force: true });
    const plain = (await rows(db(), `numbers_${engine}_s`)).filter((s) => s.validation_status === 'valid');
    expect(plain.map((s) => s.raw_data)).toEqual(expect.arrayContaining([{ column_1: 1.5, column_2: 'x' }, { column_1: 2.5, column_2: '', column_3: 'y' }]));
  });
});
