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
      { line: 4, row: { Datum: '01.01.2025', Betrag: '-13,98', Text: 'a' }, fields: ['01.01.2025', '-13,98', 'a'] },
    ]);
  });

  it('fails on a repeated column name unless asked to number the repeats', async () => {
    await expect(read('Distance,Name,Distance\n5,a,5000\n')).rejects.toThrow(/the header names column "Distance" twice/);
    const [row] = await read('Distance,Name,Distance,Distance#2\n5,a,5000,x\n', { repeatedColumns: 'number' });
    expect(row.row).toEqual({ Distance: '5', Name: 'a', 'Distance#3': '5000', 'Distance#2': 'x' });
  });
});
