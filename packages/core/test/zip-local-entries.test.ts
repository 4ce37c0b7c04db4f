import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { FileImportError, localZipEntries, openImportedFile, sha256File, type ImportedFile } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'bronze-zip-local-'));

/** A zip of these entries: `streamed` ones carry their sizes in a data descriptor after the data. */
async function zip(name: string, entries: { name: string; text: string; streamed?: boolean; store?: boolean }[]): Promise<string> {
  const z = new yazl.ZipFile();
  for (const e of entries) {
    if (e.streamed) z.addReadStream(Readable.from([Buffer.from(e.text)]), e.name, { compress: !e.store });
    else z.addBuffer(Buffer.from(e.text), e.name, { compress: !e.store });
  }
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

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
});
