import { afterAll, beforeAll, expect, it } from 'vitest';
import { crashingAfter, describeEachEngine, tableSnapshot, type TestDatabase } from '@bronze/testkit';
import { defineApiStream, defineSource, ingest, silentLogger, Type, type Source } from '../src/index.js';
import { startApiServer } from './api-server.js';

// by-field `stopAtCursor` (Spotify's /me/tracks): a listing newest first that cannot be
// filtered. The API: /newest?offset=&limit=, newest first, whatever the cursor.
interface Saved {
  id: string;
  added_at: string;
}

const HOUR = 3_600_000;
let data: Saved[] = [];
const seed = () => (data = Array.from({ length: 7 }, (_, i) => ({ id: `t${i + 1}`, added_at: new Date(Date.parse('2024-01-01T00:00:00Z') + i * HOUR).toISOString() })));

let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer((url) => {
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    const newest = [...data].sort((a, b) => b.added_at.localeCompare(a.added_at));
    return { body: { items: newest.slice(offset, offset + limit) } };
  });
});
afterAll(() => server.close());

function source(name: string): Source {
  return defineSource({
    name, version: '1', description: 'newest-first test', config: Type.Object({}), configure: () => ({}), baseUrl: 'http://127.0.0.1:1',
    streams: () => [
      defineApiStream<Saved>({
        name: 'saved',
        schema: Type.Object({ id: Type.String(), added_at: Type.String() }),
        id: 'id',
        timestamp: (r) => new Date(r.added_at),
        request: () => ({ path: '/newest' }),
        paging: { type: 'offset', size: 3 },
        incremental: { kind: 'by-field', field: (r) => r.added_at, order: 'descending', stopAtCursor: true },
      }),
    ],
  });
}

async function run(db: TestDatabase, src: Source, extra: Parameters<typeof ingest>[2] = {}) {
  server.requests.length = 0;
  return ingest(db, src, { logger: silentLogger(), env: { [`${src.name.toUpperCase()}_BASE_URL`]: server.url }, ...extra });
}
async function cursorOf(db: TestDatabase, name: string) {
  const rows = await db.withSession((s) => s.query<{ cursor: unknown }>('SELECT cursor FROM bronze_state WHERE source = $1', [name]));
  return rows[0]?.cursor;
}
const offsets = () => server.requests.map((r) => r.query.offset);

describeEachEngine('by-field stopAtCursor: a newest-first listing without a filter', (db) => {
  it('reads everything once; then one request when nothing is new; new records only down to the cursor', async () => {
    seed();
    const src = source('nf_basic');
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', inserted: 7 });
    expect(offsets()).toEqual(['0', '3', '6']);
    expect(await cursorOf(db(), 'nf_basic')).toEqual({ cursor: data[6].added_at });

    // Nothing new: the first page holds a record older than the cursor, where the read stops.
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', seen: 1, inserted: 0 });
    expect(offsets()).toEqual(['0']);

    // Four new ones: the second page reaches the cursor (the record equal to it is read again).
    for (let i = 8; i <= 11; i++) data.push({ id: `t${i}`, added_at: new Date(Date.parse('2024-01-01T00:00:00Z') + (i - 1) * HOUR).toISOString() });
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', seen: 5, inserted: 4 });
    expect(offsets()).toEqual(['0', '3']);
    expect(await cursorOf(db(), 'nf_basic')).toEqual({ cursor: data[10].added_at });
  });

  it('--since reads down to that instant and --until passes over what is after it; the cursor stays', async () => {
    seed();
    const src = source('nf_range');
    await run(db(), src);
    const r = await run(db(), src, { since: new Date(data[2].added_at), until: new Date(data[5].added_at) });
    expect(r).toMatchObject({ status: 'succeeded', seen: 3 });
    expect(offsets()).toEqual(['0', '3']);
    expect(await cursorOf(db(), 'nf_range')).toEqual({ cursor: data[6].added_at });
  });

  it('a read cut short leaves the cursor as it was; the re-run reads from the newest and stores nothing twice', async () => {
    seed();
    await run(db(), source('nf_clean'));
    const src = source('nf_crash');
    await run(db(), src);
    for (let i = 8; i <= 12; i++) data.push({ id: `t${i}`, added_at: new Date(Date.parse('2024-01-01T00:00:00Z') + (i - 1) * HOUR).toISOString() });
    await run(db(), source('nf_clean'));
    const crashed = await run(db(), crashingAfter(src, 4), { batchSize: 1 }).catch((e: Error) => e);
    expect(String(crashed)).toContain('simulated crash');
    expect((await tableSnapshot(db(), 'nf_crash')).length).toBeGreaterThan(7);
    expect(await cursorOf(db(), 'nf_crash')).toEqual({ cursor: data[6].added_at });
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(await tableSnapshot(db(), 'nf_crash')).toEqual(await tableSnapshot(db(), 'nf_clean'));
    expect(await cursorOf(db(), 'nf_crash')).toEqual({ cursor: data[11].added_at });
  });
});
