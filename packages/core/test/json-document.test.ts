import { describe, expect, it } from 'vitest';
import { DUPLICATE_KEYS, FileImportError, JsonNumber } from '../src/index.js';
import { fileReaders } from '../src/files/readers.js';
import { bytes, collect, collectUntilError } from './byte-source.js';

const read = (text: string, recordsPath?: string, chunk?: number) =>
  collect(fileReaders.jsonDocument(bytes('/data/f.json', text, chunk), recordsPath === undefined ? undefined : { recordsPath }));

describe('jsonDocument: which values are records', () => {
  it('a top-level array: one record per element, whatever the chunk size', async () => {
    const doc = [{ a: 1 }, 'two', 3, null, [4, [5]], { b: { c: [] } }];
    for (const chunk of [1, 3, 65536]) {
      const items = await read(JSON.stringify(doc, null, 1), undefined, chunk);
      expect(items.map((i) => i.value)).toEqual(doc);
      expect(items.map((i) => i.path)).toEqual(doc.map((_, i) => `/${i}`));
      expect(items.every((i) => i.role === 'item')).toBe(true);
    }
  });

  it('an object without recordsPath is one record, every key kept (an empty array too)', async () => {
    const hrv = { hrvSummary: { weeklyAvg: 41, status: 'BALANCED' }, hrv: [] };
    expect(await read(JSON.stringify(hrv))).toEqual([{ index: 0, path: '', value: hrv, role: 'document' }]);
    const settings = { id: 1, userData: { gender: 'x', weight: 70.5 }, windows: Array.from({ length: 8 }, (_, i) => ({ w: i })) };
    expect(await read(JSON.stringify(settings))).toEqual([{ index: 0, path: '', value: settings, role: 'document' }]);
  });

  it('recordsPath splits that array and keeps everything else as one rest record', async () => {
    const settings = { id: 1, userData: { gender: 'x', weight: 70.5 }, windows: Array.from({ length: 8 }, (_, i) => ({ w: i })), tail: true };
    const items = await read(JSON.stringify(settings), '/windows', 5);
    expect(items.filter((i) => i.role === 'item').map((i) => i.value)).toEqual(settings.windows);
    expect(items.filter((i) => i.role === 'item').map((i) => i.path)).toEqual(settings.windows.map((_, i) => `/windows/${i}`));
    expect(items.filter((i) => i.role === 'rest')).toEqual([{ index: 0, path: '', value: { id: 1, userData: settings.userData, tail: true }, role: 'rest' }]);
  });

  it('recordsPath reaches nested arrays and escaped keys; an object holding only the array has no rest', async () => {
    const items = await read(JSON.stringify({ a: { 'b/c': [1, 2], d: 0 } }), '/a/b~1c');
    expect(items.map((i) => [i.role, i.path, i.value])).toEqual([['item', '/a/b~1c/0', 1], ['item', '/a/b~1c/1', 2], ['rest', '', { a: { d: 0 } }]]);
    expect((await read('{"hrv": [{"x": 1}]}', '/hrv')).map((i) => i.role)).toEqual(['item']);
  });

  it('a recordsPath that is missing or not an array fails naming the file, the pointer and the keys', async () => {
    await expect(read('{"summary": {}, "items": []}', '/hrv')).rejects.toThrow(FileImportError);
    await expect(read('{"summary": {}, "items": []}', '/hrv')).rejects.toThrow(/\/data\/f\.json.*"\/hrv" does not exist; the top-level keys are "summary", "items"/);
    await expect(read('{"summary": {}, "items": []}', '/summary')).rejects.toThrow(/"\/summary" is an object, not an array/);
    await expect(read('{"a": 1}', 'a')).rejects.toThrow(/not a JSON Pointer/);
  });

  it('a top-level scalar is one document record', async () => {
    expect(await read(' 42 ')).toEqual([{ index: 0, path: '', value: 42, role: 'document' }]);
  });

  it('keeps exact numbers, __proto__ and duplicate keys in elements', async () => {
    const [item] = await read('[{"x": 1.10, "__proto__": {"p": 1}, "d": 1, "d": 2}]');
    const v = item.value as Record<string | symbol, unknown>;
    expect((v.x as JsonNumber).literal).toBe('1.10');
    expect(Object.keys(v)).toEqual(['x', '__proto__', 'd']);
    expect(v[DUPLICATE_KEYS]).toEqual([{ key: 'd', earlier: [1] }]);
  });

  it('reads 5,000 levels of nesting without overflowing', async () => {
    const [item] = await read(`[${'['.repeat(5000)}${']'.repeat(5000)}, 1]`);
    let v = item.value as unknown[];
    let depth = 1;
    while (v.length) (v = v[0] as unknown[], depth++);
    expect(depth).toBe(5000);
  });
});

describe('jsonDocument: a file broken part-way', () => {
  it('yields every element before the damage, then names the damage line', async () => {
    const good = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, note: 'fine' }));
    const text = `[\n${good.join(',\n')},\n{"id": 300, "note": nope},\n{"id": 301}\n]`;
    for (const chunk of [65536, 1000, 7]) {
      const { items, error } = await collectUntilError(fileReaders.jsonDocument(bytes('/data/broken.json', text, chunk)));
      expect(items.length).toBe(good.length);
      expect(items.map((i) => (i.value as { id: number }).id)).toEqual(good.map((_, i) => i));
      expect(error).toBeInstanceOf(FileImportError);
      expect(error!.message).toMatch(/\/data\/broken\.json.*line 302.*300 record\(s\) before it were read/);
    }
  });

  it('a truncated file: elements before the cut are read, the end is named', async () => {
    const text = '[{"a": 1}, {"a": 2}, {"a": ';
    const { items, error } = await collectUntilError(fileReaders.jsonDocument(bytes('/data/cut.json', text)));
    expect(items.map((i) => i.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(error!.message).toMatch(/cut\.json.*not valid JSON at line 1/);
  });
});
