import { describe, expect, it } from 'vitest';
import { fileReaders } from '../src/files/readers.js';
import { bytes, collect } from './byte-source.js';

describe('lines(): splitting is exact whatever the chunking', () => {
  const text = 'first\r\nsecond\n\nß and 😀 multi-byte\n' + 'x'.repeat(200_000) + '\r\nlast without newline';
  const expected = text.split('\n').map((l) => l.replace(/\r$/, ''));

  for (const chunk of [1, 2, 3, 7, 4096, 65536, 1 << 20]) {
    it(`chunks of ${chunk} bytes`, async () => {
      const lines = await collect(fileReaders.lines(bytes('/f.txt', text, chunk)));
      expect(lines.map((l) => l.text)).toEqual(expected);
      expect(lines.map((l) => l.line)).toEqual(expected.map((_, i) => i + 1));
      // Each offset is the byte position where its line starts.
      const buf = Buffer.from(text);
      let at = 0;
      for (const l of lines) {
        expect(l.offset).toBe(at);
        at = buf.indexOf(10, at) + 1 || buf.length;
      }
    });
  }

  it('a line longer than many chunks comes out whole (jsonLines parses it)', async () => {
    const long = JSON.stringify({ id: 1, s: 'y'.repeat(5_000_000) });
    const parsed = await collect(fileReaders.jsonLines(bytes('/f.jsonl', `${long}\n{"id": 2}\n`, 65536)));
    expect(parsed.map((p) => (p.value as { id: number }).id)).toEqual([1, 2]);
    expect((parsed[0].value as { s: string }).s.length).toBe(5_000_000);
  });
});
