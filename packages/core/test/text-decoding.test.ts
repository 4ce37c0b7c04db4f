import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectEncoding, encodingName, openText } from '../src/files/text-decoding.js';

/** A source whose stream arrives in chunks of `size` bytes, splitting characters. */
function source(bytes: Buffer, size = 1) {
  const used: string[] = [];
  return {
    used,
    path: '/x/file.csv',
    open: () => Readable.from(Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))),
    record(e: string) {
      used.push(e);
    },
  };
}

async function text(s: ReturnType<typeof source>, requested?: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of await openText({ path: s.path, open: s.open, decodedAs: (e) => s.record(e) }, requested)) parts.push(c as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

describe('text decoding', () => {
  it('valid UTF-8 split across chunks mid-character stays UTF-8, passed through unchanged', async () => {
    const bytes = Buffer.from('Grüße 🚲 €\n', 'utf8');
    for (const size of [1, 2, 3, 5]) {
      const s = source(bytes, size);
      expect(await text(s)).toBe('Grüße 🚲 €\n');
      expect(s.used).toEqual(['utf-8']);
    }
  });

  it('invalid UTF-8 anywhere makes the whole file windows-1252, without U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('a\n'.repeat(50_000)), Buffer.from('Umsätze\x80\n', 'latin1')]);
    const s = source(bytes, 4096);
    const out = await text(s);
    expect(out.endsWith('Umsätze€\n')).toBe(true);
    expect(out.includes('\ufffd')).toBe(false);
    expect(s.used).toEqual(['windows-1252']);
  });

  it('a BOM decides: UTF-16LE, UTF-16BE, UTF-8 (the BOM dropped)', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zoë\n', 'utf16le')]);
    expect(await detectEncoding(source(le))).toEqual({ encoding: 'utf-16le', verified: false });
    expect(await text(source(le, 1))).toBe('Zoë\n');
    expect(await text(source(Buffer.from(le).swap16(), 3))).toBe('Zoë\n');
    expect(await text(source(Buffer.from('\ufeffa,b\n', 'utf8')))).toBe('a,b\n');
  });

  it('--encoding names: aliases resolve, unknown ones are a usage error listing what to pass', () => {
    expect(encodingName('latin1')).toBe('windows-1252');
    expect(encodingName('UTF8')).toBe('utf-8');
    expect(() => encodingName('klingon')).toThrow(/--encoding "klingon" is not an encoding.*utf-8, windows-1252/);
  });

  it('--encoding utf-8 on bytes that are not UTF-8 fails with the offset instead of replacing them', async () => {
    await expect(text(source(Buffer.from('ok\nUms\xe4tze\n', 'latin1'), 64), 'utf-8')).rejects.toThrow(/\/x\/file\.csv: is not valid utf-8 .*--encoding/);
  });
});
