import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Js } from '../src/files/crc32.js';
import { zipEntries } from '../src/files/zip.js';
import { openImportedFile, sha256File } from '../src/index.js';
import { writeZip } from './zip-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bronze-zip-crc-'));

/** A zip of these entries, each deflated or each stored. */
const zip = (name: string, entries: Record<string, string>, compress: boolean) =>
  writeZip(dir, name, Object.entries(entries).map(([entry, text]) => ({ name: entry, text, store: !compress })));

/** Every entry read to its end: its text, or the error reading it gave. */
async function readAll(path: string, whole = true): Promise<[string, string][]> {
  const file = await openImportedFile(path, { size: readFileSync(path).length, mtime: new Date(), sha256: await sha256File(path) });
  const out: [string, string][] = [];
  for await (const e of zipEntries(file)) {
    const parts: Buffer[] = [];
    try {
      for await (const c of await e.open()) {
        parts.push(c as Buffer);
        if (!whole) break;
      }
      out.push([e.name, Buffer.concat(parts).toString()]);
    } catch (err) {
      out.push([e.name, `error: ${(err as Error).message}`]);
    }
  }
  return out;
}

describe('zip entries are checked against their CRC-32', () => {
  it('the JavaScript CRC-32 (Node before 20.15) equals zlib.crc32, in one piece or continued', () => {
    const data = randomBytes(100_000);
    expect(crc32Js(data, 0)).toBe(zlib.crc32(data));
    expect(crc32Js(data.subarray(40_000), crc32Js(data.subarray(0, 40_000), 0))).toBe(zlib.crc32(data));
    expect(crc32(data)).toBe(zlib.crc32(data));
  });

  // yauzl checks sizes, not CRCs: a stored entry with a damaged byte was read as valid records
  // (a Takeout activity's time `2019-72-06…`, stored valid, the run `succeeded`).
  it('fails an entry whose bytes do not match, naming it; the other entries are read', async () => {
    const entries = { 'a/records.json': '[{"time": "2019-02-06T03:38:41.841Z"}]', 'b.txt': 'second entry\n' };
    for (const compress of [false, true]) {
      const path = await zip(`flip-${compress}.zip`, entries, compress);
      expect(await readAll(path)).toEqual(Object.entries(entries));
      const bytes = readFileSync(path);
      const data = bytes.indexOf(compress ? zlib.deflateRawSync(entries['a/records.json']) : Buffer.from('2019-02'));
      expect(data).toBeGreaterThan(0);
      bytes[compress ? data + 3 : data + 6] ^= 0x04;
      writeFileSync(path, bytes);
      const read = await readAll(path);
      expect(read[1]).toEqual(['b.txt', 'second entry\n']);
      // Deflated data with a flipped bit may also fail to inflate: either way, the entry fails.
      expect(read[0][1]).toMatch(compress ? /^error: .*: zip entry a\/records\.json: (its compressed data is damaged \(.+\)|its 38 bytes do not match the archive's CRC-32 \([0-9a-f]{8}, the archive says [0-9a-f]{8}\): the entry is damaged); nothing of it was read/ : /^error: .*: zip entry a\/records\.json: its 38 bytes do not match the archive's CRC-32 \([0-9a-f]{8}, the archive says [0-9a-f]{8}\): the entry is damaged; nothing of it was read/);
      expect(read[0][1]).toContain(path);
    }
  });

  // The check once came at the entry's end, after its reader had stored the records before
  // the damage, and the damaged one itself (a flipped byte in a stored entry reads as a valid
  // value). Now no byte of a damaged entry reaches a reader, even one that reads only its head.
  it('checks an entry before its first byte is handed out: a reader of its head gets the error, not the bytes', async () => {
    const path = await zip('partial.zip', { 'big.txt': 'x'.repeat(300_000), 'small.txt': 'intact' }, false);
    expect((await readAll(path, false)).map(([, text]) => text.slice(0, 3))).toEqual(['xxx', 'int']);
    const bytes = readFileSync(path);
    bytes[bytes.indexOf('xxxx') + 250_000] = 0x79;
    writeFileSync(path, bytes);
    const read = await readAll(path, false);
    expect(read[0][1]).toMatch(/^error: .*zip entry big\.txt: its 300000 bytes do not match the archive's CRC-32 .*nothing of it was read/);
    expect(read[1]).toEqual(['small.txt', 'intact']);
  });
});
