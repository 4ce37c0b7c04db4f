import { describe, expect, it } from 'vitest';
import { decodeEscapes } from '../src/xlsx/cell-text.js';
import { excelSerialInstant } from '../src/xlsx/excel-dates.js';
import { columnOf, sheetRows } from '../src/xlsx/sheet-rows.js';
import { sheetStreamNames } from '../src/sheets/stream-names.js';
import { isDateFormatCode } from '../src/xlsx/styles.js';

describe('.xlsx pieces', () => {
  it('date formats: y m d h s outside quotes, brackets and escapes; an elapsed time or an amount is no date', () => {
    for (const code of ['yyyy\\-mm\\-dd', 'dd.mm.yyyy hh:mm', 'mmmm" "yyyy', '[$-409]mmmm" "d", "yyyy', 'h:mm AM/PM', '[$-411]ggge"年"m"月"d"日";@']) expect(isDateFormatCode(code), code).toBe(true);
    for (const code of ['[hh]:mm:ss', '[mm]:ss', '#,##0.00" €";[Red]-#,##0.00" €"', '"Total: "0', '0.00\\h', 'General', '_-* #,##0_-']) expect(isDateFormatCode(code), code).toBe(false);
  });

  it('serials: 1900 system with the fake 1900-02-29, 1904 system, fractions of a day', () => {
    const iso = (s: number, d1904 = false) => excelSerialInstant(s, d1904)?.at?.toISOString();
    expect([iso(1), iso(59), iso(61), iso(44197), iso(44197.25)]).toEqual(['1900-01-01T00:00:00.000Z', '1900-02-28T00:00:00.000Z', '1900-03-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z', '2021-01-01T06:00:00.000Z']);
    expect(excelSerialInstant(60, false)?.problem).toMatch(/1900-02-29/);
    expect([iso(0, true), iso(42735, true)]).toEqual(['1904-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z']);
    expect([iso(0.5), iso(3e6)]).toEqual([undefined, undefined]);
  });

  it('stream names: the file\'s stream plus _<sheet>, one sheet too (a sheet added later moves nothing); distinct even when two sheets snake alike or have no latin letters', () => {
    expect(sheetStreamNames('budget', [{ name: 'Sheet 1' }])).toEqual(['budget_sheet_1']);
    const names = ['Income', 'sheet_1', 'Sheet 1', 'Лист1', '€'].map((name) => ({ name, rid: name, state: 'visible' }));
    expect(sheetStreamNames('budget', names)).toEqual(['budget_income', 'budget_sheet_1', 'budget_sheet_1_2', 'budget_sheet4_1', 'budget_sheet5']);
  });

  it('cell references and _xHHHH_ escapes', () => {
    expect(['A1', 'Z9', 'AA1', '$XFD$7', 'x', '1A'].map(columnOf)).toEqual([0, 25, 26, 16383, 23, undefined]);
    expect(decodeEscapes('ABC_x000D_\nDEF _x005F_x000D_')).toBe('ABC\r\nDEF _x000D_');
  });

  it('a cell of 8M+ characters is damage, told, never held', async () => {
    async function* events() {
      yield [{ type: 'open', name: 'sheetData', attrs: {} }, { type: 'open', name: 'row', attrs: { r: '1' } }, { type: 'open', name: 'c', attrs: { r: 'A1', t: 'str' } }, { type: 'open', name: 'v', attrs: {} }] as const;
      for (let i = 0; i < 10; i++) yield [{ type: 'text', text: 'x'.repeat(1024 * 1024) }] as const;
    }
    const read = async () => {
      for await (const _ of sheetRows(events() as never, { path: 'big.xlsx', label: 'sheet "S"', sharedStrings: [], dateStyles: [] })) void _;
    };
    await expect(read()).rejects.toThrow('big.xlsx: sheet "S", cell A1: more than 8388608 characters, not a cell value; the workbook is damaged');
  });
});
