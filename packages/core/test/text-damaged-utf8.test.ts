import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectEncoding, openText } from '../src/files/text-decoding.js';
import { scanUtf8 } from '../src/files/utf8-scan.js';
import { readersNoting } from '../src/files/readers.js';
import { decodeBytes, decodeWindows1252 } from '../src/files/windows-1252.js';

/**
 * The real windows-1252 export (fixtures/README.md), and the same text as a UTF-8 export would
 * write it. Counted independently (Python: bytes ≥ 0x80 not starting a sequence that
 * `bytes.decode('utf-8')` accepts): the windows-1252 file has 22 such bytes and 0 sequences; its
 * UTF-8 form has 22 sequences, its first at byte 764 (`Ü`, in `DÜBEL`).
 */
const LATIN1 = readFileSync(join(import.meta.dirname, 'fixtures', 'sparkasse-freiburg-camt.csv'));
const UTF8 = Buffer.from(new TextDecoder('windows-1252').decode(LATIN1), 'utf8');

/** A UTF-8 file with one damaged byte: a windows-1252 `é` (0xE9) in its last booking. */
function damaged(): { bytes: Buffer; at: number } {
  const at = UTF8.lastIndexOf('Miete');
  return { bytes: Buffer.concat([UTF8.subarray(0, at), Buffer.from([0xe9]), UTF8.subarray(at)]), at };
}

const source = (bytes: Buffer, chunk = 64) => ({
  path: 'export.csv',
  // Small chunks: sequences split across them are counted once.
  open: () => Readable.from(Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk))),
});

describe('a file that is UTF-8 but for a damaged byte', () => {
  it('the scan counts its UTF-8 sequences and its bad bytes, whatever the chunking', async () => {
    expect(LATIN1.length).toBe(4851);
    expect(await scanUtf8(source(UTF8).open())).toEqual({ utf8: true });
    const latin1 = await scanUtf8(source(LATIN1).open());
    expect(latin1).toMatchObject({ utf8: false, badBytes: 22, sequences: 0 });
    const { bytes, at } = damaged();
    for (const chunk of [1, 7, 64, 1 << 16]) {
      const scan = await scanUtf8(source(bytes, chunk).open());
      expect(scan).toMatchObject({ utf8: false, firstBad: at, badBytes: 1, sequences: 22, sample: { offset: 764 } });
    }
  });

  it('is read as windows-1252 (nothing lost), with a note naming the bad byte and what its UTF-8 text now reads as', async () => {
    const { bytes, at } = damaged();
    const notes: string[] = [];
    const text = await openText(source(bytes), undefined, (t) => notes.push(t));
    const parts: Buffer[] = [];
    for await (const c of text) parts.push(c as Buffer);
    const read = Buffer.concat(parts).toString('utf8');
    // windows-1252 gives every byte back: the file's bytes are recoverable from what is stored.
    expect(read).toContain('DÃœBEL');
    expect(encode1252(read).equals(bytes)).toBe(true);
    expect(notes).toEqual([
      `export.csv: read as windows-1252, since 1 byte of it (the first at byte ${at}) is not UTF-8; but it holds 22 UTF-8 characters (the first at byte 764: "Ü", now read as "Ãœ"): ` +
        "if it is a UTF-8 file with damaged bytes, its text is stored as windows-1252 reads it (encoded as windows-1252 again, it gives the file's bytes); repair those bytes and import it again with --force",
    ]);
  });

  it('says nothing of a real windows-1252 file, nor of a UTF-8 one, nor when an encoding is given', async () => {
    for (const bytes of [LATIN1, UTF8]) {
      const notes: string[] = [];
      for await (const _ of await openText(source(bytes), undefined, (t) => notes.push(t))) void _;
      expect(notes).toEqual([]);
    }
    expect((await detectEncoding(source(damaged().bytes), 'windows-1252')).damagedUtf8).toBeUndefined();
  });

  it("ctx.files' readers take the run's note unless given their own", async () => {
    const notes: string[] = [];
    const files = readersNoting(() => (t) => notes.push(`run: ${t}`));
    for await (const _ of files.csv(source(damaged().bytes))) void _;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^run: export\.csv: read as windows-1252, since 1 byte/);
    const own: string[] = [];
    for await (const _ of files.lines(source(damaged().bytes), { note: (t) => own.push(t) })) void _;
    expect([notes.length, own.length]).toEqual([1, 1]);
  });
});

/**
 * Text back to windows-1252 bytes: Latin-1, and 0x80–0x9F by the WHATWG index
 * (encoding.spec.whatwg.org/index-windows-1252.txt), written out here, not taken from a decoder.
 */
const WHATWG_80_9F = [0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178];
function encode1252(text: string): Buffer {
  return Buffer.from([...text].map((ch) => {
    const cp = ch.codePointAt(0)!;
    const high = WHATWG_80_9F.indexOf(cp);
    if (high >= 0) return 0x80 + high;
    if (cp < 0x100 && (cp < 0x80 || cp > 0x9f)) return cp;
    throw new Error(`U+${cp.toString(16)} is not windows-1252`);
  }));
}

describe('windows-1252 by the WHATWG table, whatever Node\'s TextDecoder does', () => {
  // Node 20.18.3+ decodes 0x80–0x9F as control characters without { stream: true }.
  it('decodes every byte as the standard says, through openText too', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, b) => b));
    expect(encode1252(decodeWindows1252(all)).equals(all)).toBe(true);
    expect([...decodeWindows1252(all.subarray(0x80, 0xa0))].map((c) => c.codePointAt(0))).toEqual(WHATWG_80_9F);
    expect(decodeBytes(Buffer.from([0x92, 0x80]), 'windows-1252')).toBe('\u2019\u20ac');
    const parts: Buffer[] = [];
    for await (const c of await openText(source(all, 5), 'latin1')) parts.push(c as Buffer);
    expect(encode1252(Buffer.concat(parts).toString('utf8')).equals(all)).toBe(true);
  });
});
