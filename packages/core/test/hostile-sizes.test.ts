import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openImportedFile, statImportable } from '../src/files/imported-file.js';
import { zipEntries, type ZipEntryLimits } from '../src/files/zip.js';
import { HttpError } from '../src/http/client.js';
import { recordingClient, startFixtureServer, type FixtureServer } from './http-helpers.js';
import yazl from 'yazl';

const MiB = 1024 ** 2;
const rssMiB = () => Math.round(process.memoryUsage().rss / MiB);

describe('an endless API response body', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer();
  });
  afterAll(() => server.close());

  it('is given up at the body limit with an error naming the endpoint and the limit, and not retried', async () => {
    server.load({ fixtures: [{ request: { path: '/api/v9/me/time_entries', anyQuery: true }, fault: 'endless' }] });
    const limit = 32 * MiB;
    const before = rssMiB();
    const { http, waits } = recordingClient(server.url, { maxBodyBytes: limit, service: 'Toggl', timeoutMs: 600_000 });
    const err = await http.json({ path: '/api/v9/me/time_entries', query: { start_date: '2024-01-01' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).message).toMatch(/^Toggl GET \/api\/v9\/me\/time_entries\?start_date=2024-01-01: the response body passed the limit of 33554432 bytes/);
    expect(waits).toEqual([]); // not retried
    expect(server.requests).toHaveLength(1);
    // Reported, not asserted: memory is measured, never a pass/fail criterion here.
    console.log(`endless body, limit ${limit / MiB} MiB: rss ${before} → ${rssMiB()} MiB`);
  });

  it('is refused before reading when Content-Length says it is over the limit', async () => {
    server.load({ fixtures: [{ request: { path: '/big' }, response: { body: { data: 'y'.repeat(2000) } } }] });
    const { http } = recordingClient(server.url, { maxBodyBytes: 1000 });
    await expect(http.json({ path: '/big' })).rejects.toThrow(/GET \/big: the response body passed the limit of 1000 bytes \(2\d{3} bytes read/);
  });

  it('a body within the limit is read whole', async () => {
    server.load({ fixtures: [{ request: { path: '/ok' }, response: { body: { data: 'é'.repeat(300) } } }] });
    const { http } = recordingClient(server.url, { maxBodyBytes: 1000 });
    expect((await http.json<{ data: string }>({ path: '/ok' })).body.data).toBe('é'.repeat(300));
  });
});

describe('zip entries beyond the per-entry limits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bronze-zip-limits-'));

  /** The decompressed size of the archive's first entry, read under the given limits. */
  async function readFirst(path: string, limits?: ZipEntryLimits): Promise<number> {
    const file = await openImportedFile(path, { ...(await statImportable(path)), sha256: 'not-needed-here' });
    for await (const entry of zipEntries(file)) {
      let n = 0;
      for await (const c of await entry.open(limits)) n += (c as Buffer).length;
      return n;
    }
    throw new Error('empty zip');
  }

  it('refuses an entry over maxEntryBytes, naming the entry and the limit', async () => {
    const path = join(dir, 'big.zip');
    writeFileSync(path, await zipOf('activities/route.gpx', Buffer.alloc(4096, 'a'), false));
    await expect(readFirst(path, { maxEntryBytes: 1000 })).rejects.toThrow(/big\.zip: zip entry activities\/route\.gpx: decompresses to 4096 bytes, over the limit of 1000 bytes per entry/);
    expect(await readFirst(path, { maxEntryBytes: 4096 })).toBe(4096);
  });

  it('refuses a zip bomb by its ratio: 96 MiB of zeros in a deflated entry', async () => {
    const path = join(dir, 'bomb.zip');
    writeFileSync(path, await zipOf('export.fit', Buffer.alloc(96 * MiB), true));
    const before = rssMiB();
    await expect(readFirst(path)).rejects.toThrow(/zip entry export\.fit: decompresses \d+× \(\d+ → 100663296 bytes\), over the limit of 200×/);
    console.log(`96 MiB zip bomb refused: rss ${before} → ${rssMiB()} MiB`);
    // A format reader that expects such entries says so, and gets every byte.
    expect(await readFirst(path, { maxRatio: 2000 })).toBe(96 * MiB);
  });
});

/** A zip of one entry, written by yazl (an independent writer). */
function zipOf(name: string, data: Buffer, compress: boolean): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(data, name, { compress });
  zip.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}
