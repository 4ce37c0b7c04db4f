import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { countRows, describeEachEngine } from '@bronze/testkit';
import yazl from 'yazl';
import { expect, it } from 'vitest';
import { defineSource, emit, ingest, localZipEntries, readJsonArrays, silentLogger, Type } from '../src/index.js';
import { tempDir } from './file-source.js';

/** A zip source: each entry's JSON split with readJsonArrays (`a`, `b` arrays), read by local headers. */
const source = defineSource({
  name: 'split_readers',
  version: '1',
  description: 'test: readJsonArrays over localZipEntries',
  config: Type.Object({}),
  configure: () => ({}),
  streams: () => ['a', 'b', 'rest'].map((name) => ({ name, schema: Type.Unknown(), id: (r: { id?: string }) => r.id ?? 'rest' })),
  files: {
    accepts: '.zip',
    async *read(file) {
      for await (const entry of localZipEntries(file)) {
        // The encoding named: detection would read the whole entry first, and a cut one would yield nothing.
        for await (const item of readJsonArrays({ path: entry.name, open: () => entry.open() }, { keys: ['a', 'b'], encoding: 'utf-8' })) {
          yield emit(item.value, { stream: item.key ?? 'rest', metadata: { entry: entry.name } });
        }
      }
    },
  },
});

async function zip(entries: Record<string, string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, text] of Object.entries(entries)) z.addReadStream(Readable.from([Buffer.from(text)]), name);
  z.end();
  const parts: Buffer[] = [];
  for await (const c of z.outputStream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const doc = (n: number, tag: string) => JSON.stringify({ a: Array.from({ length: n }, (_, i) => ({ id: `${tag}a${i}`, pad: 'x'.repeat(i % 40) })), meta: { tag }, b: [{ id: `${tag}b` }] }, null, 2);

describeEachEngine('readJsonArrays and localZipEntries in an ingest', (db) => {
  it('stores every element of each array and the rest; a zip cut inside its second entry keeps the first and fails naming the second', async () => {
    const dir = tempDir();
    const whole = await zip({ 'one.json': doc(50, 'x'), 'two.json': doc(3000, 'y') });
    const path = join(dir, 'cut.zip');
    writeFileSync(path, whole.subarray(0, whole.indexOf(Buffer.from('two.json')) + 5000));
    const r = await ingest(db(), source, { files: [path], logger: silentLogger() });
    expect(r.status).toBe('failed');
    expect(r.errors.join('; ')).toMatch(/zip entry two\.json \(local header at byte \d+\): the archive is cut short/);
    expect(await countRows(db(), 'split_readers', "stream = 'b'")).toBe(1);
    expect(await countRows(db(), 'split_readers', "stream = 'rest'")).toBe(1);
    const a = await countRows(db(), 'split_readers', "stream = 'a'");
    expect(a).toBeGreaterThan(50); // one.json's 50 and two.json's up to the damage
    expect(a).toBeLessThan(3050);

    writeFileSync(path, whole);
    const again = await ingest(db(), source, { files: [path], logger: silentLogger() });
    expect(again.status, again.errors.join('; ')).toBe('succeeded');
    expect(await countRows(db(), 'split_readers')).toBe(50 + 3000 + 2 + 2);
    expect(readFileSync(path).length).toBe(whole.length);
  });
});
