import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileReaders, type CsvRow } from '../src/files/readers.js';

async function read(text: string, o = {}): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const r of fileReaders.csv({ path: '/x/t.csv', open: () => Readable.from([Buffer.from(text, 'utf8')]) }, o)) out.push(r);
  return out;
}

describe('csv()', () => {
  it('keeps a column named __proto__ as an own key', async () => {
    const [row] = await read('__proto__,b\n{"x":1},2\n');
    expect(Object.keys(row.row!)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(row.row)).toBe(Object.prototype);
    expect(JSON.stringify(row.row)).toBe('{"__proto__":"{\\"x\\":1}","b":"2"}');
  });

  it('yields the preamble first, then rows with their line numbers', async () => {
    const rows = await read('Konto;1\n\nDatum;Betrag;Text\n01.01.2025;-13,98;a\n');
    expect(rows).toEqual([
      { line: 1, fields: [], preamble: ['Konto;1', ''] },
      { line: 4, row: { Datum: '01.01.2025', Betrag: '-13,98', Text: 'a' }, fields: ['01.01.2025', '-13,98', 'a'], header: { line: 3, written: ['Datum', 'Betrag', 'Text'] } },
    ]);
  });

  it('numbers each row by the line it starts on, across line breaks inside quotes (LF, CRLF, CR), blank lines and a multi-line preamble', async () => {
    // csv-parse gives the line a record ends on and counts a quoted CR LF as two lines: a
    // CRLF file's bookings on lines 2, 4, 5, 7 were numbered 4, 5, 8, 9.
    const body = ['a,b,c', '1,"x', 'y",3', '4,5,6', '', '7,"p', 'q', 'r",9', '10,11,12', ''];
    for (const eol of ['\n', '\r\n', '\r']) {
      const rows = await read(body.join(eol));
      expect(rows.map((r) => [r.line, r.row?.a]), JSON.stringify(eol)).toEqual([[2, '1'], [4, '4'], [6, '7'], [9, '10']]);
    }
    // There csv-parse's from_line started a line early: `period;2024` became the header.
    for (const blank of ['', '\r\n']) {
      const preamble = await read(`"Account\r\nholder";x\r\nperiod;2024\r\n${blank}Date;Amount;Text\r\n01.01.2024;-5,00;a\r\n02.01.2024;-6,00;b\r\n`);
      const at = blank ? 5 : 4;
      expect(preamble.map((r) => [r.line, r.header?.line, r.row?.Date])).toEqual([[1, undefined, undefined], [at + 1, at, '01.01.2024'], [at + 2, undefined, '02.01.2024']]);
    }
    // The damage is named at the line after the last whole record.
    await expect(read('a,b\r\n1,"x\r\ny"\r\n2,3\r\n4,"never closed\r\n5,6\r\n')).rejects.toThrow(/line 5: not valid CSV from here on/);
    expect((await read('a;b\n1;2\n3;4\n', { header: false })).map((r) => r.line)).toEqual([1, 2, 3]);
  });

  it('keeps Excel\'s "sep=" line as the preamble, with or without a header row', async () => {
    expect(await read('sep=,\nName,Amount\nA,1\n')).toEqual([
      { line: 1, fields: [], preamble: ['sep=,'] },
      { line: 3, row: { Name: 'A', Amount: '1' }, fields: ['A', '1'], header: { line: 2, written: ['Name', 'Amount'] } },
    ]);
    expect(await read('sep=;\n1;2\n3;4\n', { header: false })).toEqual([
      { line: 1, fields: [], preamble: ['sep=;'] },
      { line: 2, row: { column_1: '1', column_2: '2' }, fields: ['1', '2'] },
      { line: 3, row: { column_1: '3', column_2: '4' }, fields: ['3', '4'] },
    ]);
  });

  it('reads a file of CR-only line ends (old Mac): preamble, header and rows as with LF', async () => {
    // Detection split lines on \n only: the whole file was one line, `Konto;123` the header
    // (in no record), every booking invalid.
    const cr = await read('Konto;123\r\rDate;Amount;Desc\r01.01.2024;-5,00;"multi\rline"\r02.01.2024;-6,00;tea\r');
    expect(cr.map((r) => [r.line, r.preamble, r.row])).toEqual([
      [1, ['Konto;123', ''], undefined],
      [4, undefined, { Date: '01.01.2024', Amount: '-5,00', Desc: 'multi\rline' }],
      [6, undefined, { Date: '02.01.2024', Amount: '-6,00', Desc: 'tea' }],
    ]);
  });

  it('reads lines ending in CR CR LF (CRLF written through a Windows text-mode stream, as Python\'s csv module does) as one line end each', async () => {
    // The parser took the first CR as the line end: every row after the first began with the
    // LF (`"\n\"NL77…\""`, its quotes then kept as text) and a last invalid row held "\n".
    const rows = await read('Konto;1\r\r\n\r\r\n"IBAN";"Datum";"Betrag"\r\r\n"NL77";"2018-03-01";"-337,49"\r\r\n"NL77";"2018-03-14";"+50,00"\r\r\n');
    expect(rows.map((r) => [r.line, r.preamble, r.row, r.error])).toEqual([
      [1, ['Konto;1', ''], undefined, undefined],
      [4, undefined, { IBAN: 'NL77', Datum: '2018-03-01', Betrag: '-337,49' }, undefined],
      [5, undefined, { IBAN: 'NL77', Datum: '2018-03-14', Betrag: '+50,00' }, undefined],
    ]);
  });

  it('gives the header as written with the first record after it only', async () => {
    const rows = await read('a,a,,b\n1,2,3,4\n5,6\n7,8,9,10\n', { repeatedColumns: 'number' });
    expect(rows.map((r) => r.header)).toEqual([{ line: 1, written: ['a', 'a', '', 'b'] }, undefined, undefined]);
    expect(rows[0].row).toEqual({ a: '1', 'a#2': '2', column_3: '3', b: '4' });
    // A short first row carries it too: what the header was does not depend on the row.
    const short = await read('x,y\n1\n2,3\n');
    expect(short[0]).toMatchObject({ line: 2, error: 'line 2: 1 fields where the header has 2', header: { line: 1, written: ['x', 'y'] } });
  });

  it('without a header, every line is a row keyed column_1… by its own fields, the first line too', async () => {
    // A Targobank-like export: it starts with its first booking.
    const text = "03.11.2025;Echtzeitüberweisung;-5,00;;'DE67'\n03.11.2025;Lastschrift;-24,00;;'DE67'\n04.11.2025;Gutschrift;+100,00;;'DE67'\n";
    const rows = await read(text, { header: false });
    expect(rows).toEqual([
      { line: 1, row: { column_1: '03.11.2025', column_2: 'Echtzeitüberweisung', column_3: '-5,00', column_4: '', column_5: "'DE67'" }, fields: ['03.11.2025', 'Echtzeitüberweisung', '-5,00', '', "'DE67'"] },
      { line: 2, row: { column_1: '03.11.2025', column_2: 'Lastschrift', column_3: '-24,00', column_4: '', column_5: "'DE67'" }, fields: ['03.11.2025', 'Lastschrift', '-24,00', '', "'DE67'"] },
      { line: 3, row: { column_1: '04.11.2025', column_2: 'Gutschrift', column_3: '+100,00', column_4: '', column_5: "'DE67'" }, fields: ['04.11.2025', 'Gutschrift', '+100,00', '', "'DE67'"] },
    ]);
    // With a header the same file loses its first booking to the column names.
    expect(await read(text)).toHaveLength(2);
    // A narrower first line is a row (rows of another width are rows), not a preamble, unless --skip-lines says so.
    const d = '2023-06-27|06:40|Wakeup\n2023-06-27|06:40|Steps|11898\n2023-06-27|06:40|Sleep|07h21\n';
    expect((await read(d, { header: false })).map((r) => [r.line, r.row?.column_3, r.row?.column_4])).toEqual([[1, 'Wakeup', undefined], [2, 'Steps', '11898'], [3, 'Sleep', '07h21']]);
    expect(await read(d, { header: false, skipLines: 1 })).toEqual([
      { line: 1, fields: [], preamble: ['2023-06-27|06:40|Wakeup'] },
      { line: 2, row: { column_1: '2023-06-27', column_2: '06:40', column_3: 'Steps', column_4: '11898' }, fields: ['2023-06-27', '06:40', 'Steps', '11898'] },
      { line: 3, row: { column_1: '2023-06-27', column_2: '06:40', column_3: 'Sleep', column_4: '07h21' }, fields: ['2023-06-27', '06:40', 'Sleep', '07h21'] },
    ]);
  });

  it('fails on a repeated column name unless asked to number the repeats', async () => {
    await expect(read('Distance,Name,Distance\n5,a,5000\n')).rejects.toThrow(/the header names column "Distance" twice/);
    const [row] = await read('Distance,Name,Distance,Distance#2\n5,a,5000,x\n', { repeatedColumns: 'number' });
    expect(row.row).toEqual({ Distance: '5', Name: 'a', 'Distance#3': '5000', 'Distance#2': 'x' });
  });
});
