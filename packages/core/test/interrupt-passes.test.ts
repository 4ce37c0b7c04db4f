import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { countRows, describeEachEngine, tableSnapshot } from '@bronze/testkit';
import { defineSource, emit, ingest, InterruptedError, openImportedFile, sha256File, silentLogger, Type } from '../src/index.js';
import { Readable } from 'node:stream';
import { zipEntries } from '../src/files/zip.js';
import { detectEncoding } from '../src/files/text-decoding.js';
import { tempDir } from './file-source.js';
import { writeZip } from './zip-helpers.js';

// A Ctrl-C used to wait for passes that yield no record: the whole file's sha256 and each zip
// entry's CRC-32 check (~7 s per GB of inflated entry, measured with the CLI; see the commit).

const LINES = 2_000;
const lines = (prefix: string) => Array.from({ length: LINES }, (_, i) => JSON.stringify({ id: `${prefix}${i}`, note: 'x'.repeat(i % 50) })).join('\n') + '\n';
const text = lines('r');

async function opened(path: string, signal?: AbortSignal) {
  return openImportedFile(path, { size: readFileSync(path).length, mtime: new Date(), sha256: 'not-needed-here' }, signal);
}

describe('passes that yield no record stop on the run signal', () => {
  it("sha256File ends with an InterruptedError naming the file once the signal fired, and hashes the file without one", async () => {
    const path = join(tempDir(), 'data.bin');
    writeFileSync(path, Buffer.alloc(3 << 20, 7));
    expect(await sha256File(path)).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const stopped = new AbortController();
    stopped.abort();
    const err = await sha256File(path, stopped.signal).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as Error).message).toBe(`${path}: interrupted while its sha256 was computed, before any of it was read`);
  });

  it('a zip entry opened just as the signal fires: open() fails naming the entry, and so does every entry after it', async () => {
    const path = await writeZip(tempDir(), 'big.zip', [
      { name: 'a.jsonl', text: text.repeat(40) },
      { name: 'b.jsonl', text },
    ]);
    const ac = new AbortController();
    const file = await opened(path, ac.signal);
    const messages: string[] = [];
    for await (const e of zipEntries(file)) {
      const opening = e.open();
      // As the CLI's handler does: the signal fires while the entry's bytes are being checked.
      if (e.name === 'a.jsonl') ac.abort();
      const err = await opening.then(() => undefined, (x: unknown) => x);
      expect(err).toBeInstanceOf(InterruptedError);
      messages.push((err as Error).message);
    }
    expect(messages).toEqual([
      `${path}: zip entry a.jsonl: interrupted while its CRC-32 was checked, before any of it was read`,
      `${path}: zip entry b.jsonl: interrupted while its CRC-32 was checked, before any of it was read`,
    ]);
  });

  it('a zip entry whose check is under way when the signal fires: the check stops and open() fails naming the entry', async () => {
    const path = await writeZip(tempDir(), 'long.zip', [{ name: 'a.jsonl', text: text.repeat(200) }]);
    const ac = new AbortController();
    // The signal fires one turn after the check starts listening for it: mid-check, not before.
    let listening = false;
    const listen = ac.signal.addEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      const [type] = args;
      listen(...args);
      if (type === 'abort' && !listening) {
        listening = true;
        setImmediate(() => ac.abort());
      }
    }) as typeof ac.signal.addEventListener;
    const file = await opened(path, ac.signal);
    for await (const e of zipEntries(file)) {
      const err = await e.open().then(() => undefined, (x: unknown) => x);
      expect(err).toBeInstanceOf(InterruptedError);
      expect((err as Error).message).toBe(`${path}: zip entry a.jsonl: interrupted while its CRC-32 was checked, before any of it was read`);
      expect(listening).toBe(true);
    }
  });

  it("a text file's encoding check (a pass over the whole file) stops when the signal fires mid-file", async () => {
    // The real windows-1252 bank export (fixtures/README.md), in chunks of 64 bytes.
    const bytes = readFileSync(join(import.meta.dirname, 'fixtures', 'sparkasse-freiburg-camt.csv'));
    const ac = new AbortController();
    let chunks = 0;
    const source = {
      path: 'export.csv',
      signal: ac.signal,
      open: () =>
        Readable.from((function* () {
          for (let i = 0; i < bytes.length; i += 64) {
            // The signal fires after the 3rd chunk, as a Ctrl-C while a large file is scanned.
            if (++chunks === 4) ac.abort();
            yield bytes.subarray(i, i + 64);
          }
        })()),
    };
    const err = await detectEncoding(source).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as Error).message).toBe('export.csv: interrupted while its encoding was checked, before any of it was read');
    expect(chunks).toBeLessThan(10);
    // No signal fired: the same file is scanned to its end and found windows-1252.
    expect(await detectEncoding({ ...source, signal: new AbortController().signal })).toMatchObject({ encoding: 'windows-1252', verified: true });
  });

  it('without a signal (or before it fires) the entry is checked and read whole', async () => {
    const path = await writeZip(tempDir(), 'ok.zip', [{ name: 'a.jsonl', text }]);
    const file = await opened(path, new AbortController().signal);
    for await (const e of zipEntries(file)) {
      const parts: Buffer[] = [];
      for await (const c of await e.open()) parts.push(c as Buffer);
      expect(Buffer.concat(parts).toString()).toBe(text);
    }
  });
});

/**
 * A source of one zip's `.jsonl` entries. Like several real readers (Garmin's, Apple Health's
 * parts), it turns an entry it cannot read into a record that names the damage.
 */
function zipLinesSource(name: string, beforeOpen?: () => void) {
  return defineSource({
    name,
    version: '1',
    description: 'test zip source',
    config: Type.Object({}),
    configure: () => ({}),
    streams: () => [{ name: 'lines', schema: Type.Object({}), id: (r: { id?: string; entry?: string }) => r.id ?? `damaged:${r.entry}` }],
    files: {
      accepts: '.zip',
      async *read(file, _config, ctx) {
        for await (const entry of ctx.files.zipEntries(file)) {
          beforeOpen?.();
          let stream;
          try {
            stream = await entry.open();
          } catch (err) {
            yield emit({ entry: entry.name, damaged: (err as Error).message }, { stream: 'lines' });
            continue;
          }
          let rest = '';
          for await (const chunk of stream) {
            const lines = (rest + (chunk as Buffer).toString()).split('\n');
            rest = lines.pop()!;
            for (const l of lines) yield emit(JSON.parse(l), { stream: 'lines' });
          }
        }
      },
    },
  });
}

describeEachEngine('a stop during a zip entry check', (db) => {
  it('marks the file interrupted, stores nothing the stopped pass made up, and the next run imports the clean-run table', async () => {
    const dir = tempDir();
    const path = await writeZip(dir, 'export.zip', [{ name: 'part-1.jsonl', text }, { name: 'part-2.jsonl', text: lines('s') }]);
    const ac = new AbortController();
    // The signal comes as the first entry's check starts (a Ctrl-C during a long check).
    const cut = await ingest(db(), zipLinesSource('zip_stop', () => ac.abort()), { files: [path], logger: silentLogger(), signal: ac.signal });
    expect(cut.status).toBe('failed');
    expect(cut.errors.join('; ')).not.toMatch(/damaged|CRC/);
    expect(await countRows(db(), 'zip_stop')).toBe(0);
    const [registered] = await db().withSession((s) => s.query<{ status: string; records: number }>(`SELECT status, records::int FROM bronze_files WHERE source = 'zip_stop'`));
    expect(registered).toEqual({ status: 'interrupted', records: 0 });

    const resumed = await ingest(db(), zipLinesSource('zip_stop'), { files: [path], logger: silentLogger() });
    expect(resumed).toMatchObject({ status: 'succeeded', seen: 2 * LINES, inserted: 2 * LINES, unchanged: 0 });
    const clean = await ingest(db(), zipLinesSource('zip_clean'), { files: [path], logger: silentLogger() });
    expect(clean).toMatchObject({ status: 'succeeded', inserted: 2 * LINES });
    const strip = (snap: string[]) => snap.map((r) => r.split('|').slice(1).join('|'));
    expect(strip(await tableSnapshot(db(), 'zip_stop'))).toEqual(strip(await tableSnapshot(db(), 'zip_clean')));
  });
});
