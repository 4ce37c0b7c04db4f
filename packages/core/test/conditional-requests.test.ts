import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashingAfter, describeEachEngine, tableSnapshot, type TestDatabase } from '@bronze/testkit';
import { defineApiStream, defineSource, ingest, silentLogger, Type, type IncrementalKind, type Source } from '../src/index.js';
import { requestKey, validatorHeaders, validatorOf } from '../src/http/validators.js';
import { startApiServer, type ApiAnswer } from './api-server.js';
import { recordingClient } from './http-helpers.js';

interface Item {
  id: number;
  updated_at: string;
}

let data: Item[] = [];
let lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
const item = (id: number, updated_at: string): Item => ({ id, updated_at });
const etagOf = (body: unknown) => `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 32)}"`;

/**
 * A GitHub-like API: /items (newest first, `since` on updated_at, Link paging by 2) answers
 * 304 to an If-None-Match equal to the page's ETag; /dated answers by Last-Modified.
 */
let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer((url, _method, headers): ApiAnswer => {
    const q = url.searchParams;
    if (url.pathname === '/dated') {
      if (headers['if-modified-since'] === lastModified) return { status: 304, headers: { 'last-modified': lastModified }, body: null };
      return { headers: { 'last-modified': lastModified }, body: data };
    }
    const since = q.get('since') ?? '';
    const all = data.filter((d) => d.updated_at >= since).sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    const page = Number(q.get('page') ?? 1);
    const body = all.slice((page - 1) * 2, page * 2);
    const etag = etagOf(body);
    const more = page * 2 < all.length;
    const link: Record<string, string> = more ? { link: `<${server.url}/items?${new URLSearchParams({ ...Object.fromEntries(q), page: String(page + 1) })}>; rel="next"` } : {};
    if (headers['if-none-match'] === etag) return { status: 304, headers: { etag }, body: null };
    return { headers: { etag, ...link }, body };
  });
});
afterAll(() => server.close());

const byUpdated: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.updated_at, order: 'descending', overlapMs: 1000 };

function source(name: string, path: string, kind: IncrementalKind<Item>, conditional = true): Source {
  return defineSource({
    name,
    version: '1',
    description: 'conditional requests test',
    config: Type.Object({}),
    configure: () => ({}),
    streams: () => [
      defineApiStream<Item, Item>({
        name: 'items',
        schema: Type.Object({ id: Type.Integer(), updated_at: Type.String() }),
        id: (r) => String(r.id),
        request: (p) => ({ path, query: { since: p.after instanceof Date ? p.after.toISOString() : undefined } }),
        paging: { type: 'link' },
        incremental: kind,
        conditional,
      }),
    ],
  });
}

async function run(db: TestDatabase, src: Source, extra: Parameters<typeof ingest>[2] = {}) {
  server.requests.length = 0;
  return ingest(db, src, { logger: silentLogger(), env: { [`${src.name.toUpperCase()}_BASE_URL`]: server.url }, ...extra });
}
const stateOf = async (db: TestDatabase, name: string) =>
  (await db.withSession((s) => s.query<{ cursor: any }>('SELECT cursor FROM bronze_state WHERE source = $1', [name])))[0]?.cursor;
const seed = () => (data = [item(1, '2024-01-01T10:00:00Z'), item(2, '2024-01-02T10:00:00Z'), item(3, '2024-01-03T10:00:00Z'), item(4, '2024-01-04T10:00:00Z'), item(5, '2024-01-05T10:00:00Z')]);

describe('validators', () => {
  it('an ETag goes back as If-None-Match, a date as If-Modified-Since; the key ignores query order', () => {
    expect(validatorHeaders('W/"abc"')).toEqual({ 'if-none-match': 'W/"abc"' });
    expect(validatorHeaders('"abc"')).toEqual({ 'if-none-match': '"abc"' });
    expect(validatorHeaders(lastModified)).toEqual({ 'if-modified-since': lastModified });
    expect(validatorHeaders(undefined)).toEqual({});
    expect(validatorOf(new Headers({ etag: '"e"', 'last-modified': lastModified }))).toBe('"e"');
    expect(validatorOf(new Headers({ 'last-modified': lastModified }))).toBe(lastModified);
    // An empty tag (GitHub's /notifications: `ETag: W/""`) names no version: the date is the validator.
    expect(validatorOf(new Headers({ etag: 'W/""', 'last-modified': lastModified }))).toBe(lastModified);
    expect(validatorOf(new Headers({ etag: '""' }))).toBeUndefined();
    expect(validatorOf(new Headers({ etag: 'W/"0"' }))).toBe('W/"0"');
    expect(requestKey({ path: '/x', query: { b: 2, a: 'z', c: undefined } })).toBe(requestKey({ path: '/x', query: { a: 'z', b: 2 } }));
  });

  it('the client sends the validator and takes a 304 as an answer only when it sent one', async () => {
    seed();
    const { http } = recordingClient(server.url);
    const first = await http.json<Item[]>({ path: '/items' });
    const etag = first.headers.get('etag')!;
    const again = await http.json({ path: '/items', validator: etag });
    expect(again).toMatchObject({ status: 304, body: null });
    const dated = await http.json({ path: '/dated', validator: lastModified });
    expect(dated.status).toBe(304);
    // Without a validator a 304 is no answer the caller asked for.
    await expect(http.json({ path: '/dated', headers: { 'if-modified-since': lastModified } })).rejects.toThrow(/answered 304/);
  });
});

describeEachEngine('conditional requests', (db) => {
  it('by-field, Link pages: the first page\'s ETag is kept; once the cursor is set, a re-run is one request answered 304 and stores nothing', async () => {
    seed();
    const src = source('cond_items', '/items', byUpdated);
    const first = await run(db(), src);
    expect(first).toMatchObject({ status: 'succeeded', inserted: 5 });
    expect(server.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    const state = await stateOf(db(), 'cond_items');
    expect(state.cursor).toBe('2024-01-05T10:00:00.000Z');
    expect(Object.keys(state.etags)).toEqual(['GET /items']);

    // The cursor's first run asks `since`: another request, with its own ETag (no validator yet).
    const second = await run(db(), src);
    expect(second).toMatchObject({ status: 'succeeded', seen: 1, inserted: 0 });
    expect(second.notes).toEqual([]);
    expect(server.requests.map((r) => r.query)).toEqual([{ since: '2024-01-05T09:59:59.000Z' }]);
    const after = await stateOf(db(), 'cond_items');
    expect(after.cursor).toBe(state.cursor);
    expect(Object.keys(after.etags)).toEqual(['GET /items?since=2024-01-05T09:59:59.000Z']);

    // From now on, nothing new is one request answered 304.
    for (let i = 0; i < 2; i++) {
      const again = await run(db(), src);
      expect(again).toMatchObject({ status: 'succeeded', seen: 0, inserted: 0 });
      expect(again.notes).toEqual(['1 conditional request, 1 answered 304 Not Modified']);
      expect(server.requests).toHaveLength(1);
      expect(await stateOf(db(), 'cond_items')).toEqual(after);
    }

    data.push(item(6, '2024-01-06T10:00:00Z'));
    const changed = await run(db(), src);
    expect(changed).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(changed.notes).toContain('1 conditional request, 0 answered 304 Not Modified');
    expect((await stateOf(db(), 'cond_items')).cursor).toBe('2024-01-06T10:00:00.000Z');
  });

  it('snapshot by Last-Modified: a 304 stores nothing; --full-refresh asks without a validator', async () => {
    seed();
    lastModified = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const src = source('cond_dated', '/dated', { kind: 'snapshot' });
    expect(await run(db(), src)).toMatchObject({ inserted: 5 });
    expect(await stateOf(db(), 'cond_dated')).toEqual({ etags: { 'GET /dated': lastModified } });
    expect(await run(db(), src)).toMatchObject({ seen: 0, inserted: 0 });
    expect(await run(db(), src, { fullRefresh: true })).toMatchObject({ seen: 5, inserted: 0 });
    lastModified = 'Thu, 22 Oct 2015 07:28:00 GMT';
    data[0] = item(1, '2024-02-01T00:00:00Z');
    expect(await run(db(), src)).toMatchObject({ seen: 5, inserted: 1 });
    expect(await stateOf(db(), 'cond_dated')).toEqual({ etags: { 'GET /dated': lastModified } });
  });

  it('without conditional: true no validator is kept or sent', async () => {
    seed();
    const src = source('cond_off', '/items', byUpdated, false);
    await run(db(), src);
    expect(await stateOf(db(), 'cond_off')).toEqual({ cursor: '2024-01-05T10:00:00.000Z' });
    expect(await run(db(), src)).toMatchObject({ seen: 1, inserted: 0 });
  });

  it('a crash mid-stream commits no new validator: the next run reads in full and ends with the clean table', async () => {
    seed();
    const clean = source('cond_clean', '/items', { kind: 'snapshot' });
    await run(db(), clean);
    const src = source('cond_crash', '/items', { kind: 'snapshot' });
    const crashed = await run(db(), crashingAfter(src, 3), { batchSize: 1 }).catch((e: Error) => e);
    expect(String(crashed instanceof Error ? crashed.message : crashed.errors)).toContain('simulated crash');
    expect((await tableSnapshot(db(), 'cond_crash')).length).toBe(3);
    expect(await stateOf(db(), 'cond_crash')).toBeUndefined();
    const r = await run(db(), src);
    expect(r).toMatchObject({ status: 'succeeded', seen: 5, inserted: 2 });
    expect(server.requests.every((q) => q.path === '/items')).toBe(true);
    expect(await tableSnapshot(db(), 'cond_crash')).toEqual((await tableSnapshot(db(), 'cond_clean')));
    expect(Object.keys((await stateOf(db(), 'cond_crash')).etags)).toEqual(['GET /items']);
  });

  it('an id cursor on a listing without since (GitHub events): a crash mid-hand-over keeps no new validator, so nothing is lost', async () => {
    seed();
    const byId: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.id, type: 'id', order: 'descending' };
    await run(db(), source('cond_ev_clean', '/items', byId));
    const src = source('cond_ev', '/items', byId);
    // Read whole, handed over oldest first: record, checkpoint, record, checkpoint, then the crash.
    const crashed = await run(db(), crashingAfter(src, 4), { batchSize: 1 }).catch((e: Error) => e);
    expect(String(crashed instanceof Error ? crashed.message : crashed.errors)).toContain('simulated crash');
    expect(await stateOf(db(), 'cond_ev')).toEqual({ cursor: 2 });
    const r = await run(db(), src);
    expect(r).toMatchObject({ status: 'succeeded', seen: 5, inserted: 3 });
    expect(await tableSnapshot(db(), 'cond_ev')).toEqual(await tableSnapshot(db(), 'cond_ev_clean'));
    expect(await stateOf(db(), 'cond_ev')).toMatchObject({ cursor: 5, etags: { 'GET /items': expect.stringMatching(/^W\/"/) } });
    expect(await run(db(), src)).toMatchObject({ seen: 0, inserted: 0 });
  });

  it('--since asks without validators and leaves the saved ones as they are', async () => {
    seed();
    const src = source('cond_since', '/items', byUpdated);
    await run(db(), src);
    const saved = await stateOf(db(), 'cond_since');
    const r = await run(db(), src, { since: new Date('2024-01-04T00:00:00Z') });
    expect(r).toMatchObject({ seen: 2, inserted: 0 });
    expect(await stateOf(db(), 'cond_since')).toEqual(saved);
  });
});
