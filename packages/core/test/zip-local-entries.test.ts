import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileImportError, localZipEntries, openImportedFile, sha256File, type ImportedFile } from '../src/index.js';
import { writeZip, type ZipEntrySpec } from './zip-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'bronze-zip-local-'));

const zip = (name: string, specs: ZipEntrySpec[]) => writeZip(dir, name, specs);

async function imported(path: string): Promise<ImportedFile> {
  const size = readFileSync(path).length;
  return openImportedFile(path, { size, mtime: new Date(), sha256: await sha256File(path) });
}

async function readAll(file: ImportedFile, skip = new Set<string>()): Promise<{ entries: [string, string][]; error?: Error }> {
  const entries: [string, string][] = [];
  try {
    for await (const e of localZipEntries(file)) {
      if (skip.has(e.name)) continue; // left unread: the walk must still find the next entry
      const parts: Buffer[] = [];
      for await (const c of e.open()) parts.push(c as Buffer);
      entries.push([e.name, Buffer.concat(parts).toString()]);
    }
  } catch (err) {
    return { entries, error: err as Error };
  }
  return { entries };
}

const big = Array.from({ length: 4000 }, (_, i) => `{"i": ${i}, "pad": "${'x'.repeat(i % 50)}"}`).join('\n');
const entries = [
  { name: 'Takeout/a.json', text: '{"a": 1}' },
  { name: 'Takeout/b.txt', text: 'stored text', store: true },
  { name: 'Takeout/big.jsonl', text: big, streamed: true },
  { name: 'Takeout/c.csv', text: 'x,y\n1,2\n', streamed: true },
];

describe('localZipEntries: a zip read by its local headers', () => {
  it('reads every entry of a whole archive, sizes in the header or in a data descriptor, read or left unread', async () => {
    const file = await imported(await zip('whole.zip', entries));
    expect(await readAll(file)).toEqual({ entries: entries.map((e) => [e.name, e.text]) });
    const skipped = await readAll(file, new Set(['Takeout/big.jsonl']));
    expect(skipped.entries.map(([n]) => n)).toEqual(['Takeout/a.json', 'Takeout/b.txt', 'Takeout/c.csv']);
  });

  it('a reader that stops early (an encoding sniff) and opens the entry again is no damage', async () => {
    const file = await imported(await zip('sniffed.zip', entries));
    const read: [string, string][] = [];
    for await (const e of localZipEntries(file)) {
      for await (const _ of e.open()) break; // the first chunk only, then the stream is destroyed
      const parts: Buffer[] = [];
      for await (const c of e.open()) parts.push(c as Buffer);
      read.push([e.name, Buffer.concat(parts).toString()]);
    }
    expect(read).toEqual(entries.map((e) => [e.name, e.text]));
  });

  it('an archive cut inside an entry: the whole entries before it, then an error naming the entry and its offset', async () => {
    const path = await zip('cut.zip', entries);
    const bytes = readFileSync(path);
    const bigAt = bytes.indexOf(Buffer.from('Takeout/big.jsonl')) - 30;
    const cutPath = join(dir, 'cut-short.zip');
    writeFileSync(cutPath, bytes.subarray(0, bigAt + 30 + 17 + 400));
    const { entries: read, error } = await readAll(await imported(cutPath));
    expect(read.map(([n]) => n)).toEqual(['Takeout/a.json', 'Takeout/b.txt']);
    expect(error).toBeInstanceOf(FileImportError);
    expect(error!.message).toContain(`zip entry Takeout/big.jsonl (local header at byte ${bigAt})`);
    expect(error!.message).toContain(`cut short at byte ${bigAt + 447}`);
  });

  it('an archive cut between entries, before its central directory, names the offset and the last whole entry', async () => {
    const path = await zip('between.zip', entries.slice(0, 2));
    const bytes = readFileSync(path);
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    const cutPath = join(dir, 'between-cut.zip');
    writeFileSync(cutPath, bytes.subarray(0, central));
    const { entries: read, error } = await readAll(await imported(cutPath));
    expect(read.map(([n]) => n)).toEqual(['Takeout/a.json', 'Takeout/b.txt']);
    expect(error!.message).toContain(`ends at byte ${central}, after an entry, before its central directory`);
    expect(error!.message).toContain('the last Takeout/b.txt');
  });

  // The walk once handed out an entry's bytes unchecked: a byte flipped in a stored entry read
  // as a valid value, and the records of damaged deflated data before zlib noticed were stored.
  async function readEach(path: string): Promise<{ read: [string, string][]; error?: Error }> {
    const read: [string, string][] = [];
    try {
      for await (const e of localZipEntries(await imported(path))) {
        const parts: Buffer[] = [];
        try {
          for await (const c of e.open()) parts.push(c as Buffer);
          read.push([e.name, Buffer.concat(parts).toString()]);
        } catch (err) {
          read.push([e.name, `error: ${(err as Error).message}`]);
        }
      }
    } catch (err) {
      return { read, error: err as Error };
    }
    return { read };
  }
  const damagedCopy = async (name: string, change: (bytes: Buffer) => void) => {
    const bytes = readFileSync(await zip('intact.zip', entries));
    change(bytes);
    writeFileSync(join(dir, name), bytes);
    return join(dir, name);
  };
  const others = (read: [string, string][], target: string) => read.filter(([n]) => n !== target);
  const textsBut = (target: string) => entries.filter((e) => e.name !== target).map((e) => [e.name, e.text]);
  const crcFailure = (name: string) => new RegExp(`^error: .*: zip entry ${name.replace(/[./]/g, '\\$&')} \\(local header at byte \\d+\\): its \\d+ bytes do not match its CRC-32 \\([0-9a-f]{8}, the archive says [0-9a-f]{8}\\): the entry is damaged; nothing of it was read$`);

  // The CRC is in the local header (b.txt, sizes before the data) or in the data descriptor
  // after the data (c.csv, written as a stream); either way the entry gives no byte.
  it.each([
    ['its local header', 'Takeout/b.txt', (b: Buffer): void => void (b[b.indexOf('stored text') + 3] ^= 0x01)],
    ['its data descriptor', 'Takeout/c.csv', (b: Buffer): void => void (b[b.indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]), b.indexOf(Buffer.from('Takeout/c.csv'))) + 4] ^= 0x01)],
  ] as const)('an entry whose bytes fail the CRC-32 of %s gives no byte; the walk goes on', async (where, target, change) => {
    const { read, error } = await readEach(await damagedCopy(`flipped-${where.replace(/\W+/g, '-')}.zip`, change));
    expect(error).toBeUndefined();
    expect(read.find(([n]) => n === target)![1]).toMatch(crcFailure(target));
    expect(others(read, target)).toEqual(textsBut(target));
  });

  it('deflated data that does not inflate, its size after it: no byte of it, and the walk ends naming it', async () => {
    const path = await damagedCopy('broken-deflate.zip', (b) => {
      const at = b.indexOf(Buffer.from('Takeout/big.jsonl')) + 17 + 40;
      for (let i = 0; i < 16; i++) b[at + i] ^= 0xff;
    });
    const { read, error } = await readEach(path);
    expect(read.slice(0, 2)).toEqual(textsBut('Takeout/big.jsonl').slice(0, 2));
    const big = read.find(([n]) => n === 'Takeout/big.jsonl');
    expect(big?.[1]).toMatch(/^error: .*zip entry Takeout\/big\.jsonl \(local header at byte \d+\): its compressed data is damaged \(.+\); nothing of it was read$/);
    expect(error!.message).toMatch(/zip entry Takeout\/big\.jsonl \(local header at byte \d+\): its compressed data is damaged/);
  });
});
