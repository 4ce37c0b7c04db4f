import { afterAll, beforeAll, expect, it } from 'vitest';
import { crashingAfter, describeEachEngine, tableSnapshot, type TestDatabase } from '@bronze/testkit';
import { defineApiStream, defineSource, emit, ingest, silentLogger, Type, type ByFieldKind, type ByFieldState, type Source } from '../src/index.js';
import { startApiServer } from './api-server.js';

// by-field `unchanged`, `collect` and `onEnd` (Strava's activity streams), and what `detail`
// does besides one request per record: nothing asked (request undefined), a 404 skipped,
// rows given their raw_id. The API: /asc (after=unix, page/per_page, oldest first, or out of
// order when `shuffled`), /items/{id} (the detail; 404 for a deleted id).
interface Item {
  id: number;
  at: string;
  v: number;
  likes: number;
  tag?: string;
  manual?: boolean;
}

const DAY = 86_400_000;
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);
let data: Item[] = [];
let deleted = new Set<number>();
let shuffled = false;
const seed = () => {
  data = [1, 2, 3, 4, 5, 6].map((id) => ({ id, at: new Date(Date.parse('2024-01-01T10:00:00Z') + (id - 1) * 2 * DAY).toISOString(), v: 1, likes: 0, tag: id % 2 ? 'b1' : 'g2' }));
  deleted = new Set();
  shuffled = false;
};

let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer((url) => {
    const q = url.searchParams;
    if (url.pathname === '/asc') {
      const listed = [...data].filter((d) => unix(d.at) > Number(q.get('after') ?? -1)).sort((a, b) => a.at.localeCompare(b.at));
      if (shuffled) listed.reverse();
      const size = Number(q.get('per_page'));
      return { body: listed.slice((Number(q.get('page')) - 1) * size, Number(q.get('page')) * size) };
    }
    const id = Number(url.pathname.slice('/items/'.length));
    const found = data.find((d) => d.id === id);
    return found && !deleted.has(id) ? { body: { ...found, detailed: true } } : { status: 404, body: { message: 'Record Not Found' } };
  });
});
afterAll(() => server.close());

const ends: ByFieldState[] = [];
const kind: ByFieldKind<Item> = {
  kind: 'by-field', field: (r) => r.at, order: 'ascending', overlapMs: 3 * DAY,
  unchanged: { key: (r) => ({ ...r, likes: undefined }) },
  collect: { tags: (r) => r.tag },
  onEnd: (state) => ends.push(state),
};

function source(name: string, detail: 'plain' | 'meta' = 'plain'): Source {
  return defineSource({
    name, version: '1', description: 'unchanged test', config: Type.Object({}), configure: () => ({}), baseUrl: 'http://127.0.0.1:1',
    streams: () => [
      defineApiStream<Item, Item>({
        name: 'details',
        schema: Type.Object({ id: Type.Integer(), at: Type.String() }),
        id: 'id',
        request: ({ after }) => ({ path: '/asc', query: { after: after instanceof Date ? unix(after.toISOString()) : 0 } }),
        paging: { type: 'page', size: 4 },
        detail: detail === 'plain'
          ? { request: (l) => ({ path: `/items/${l.id}` }), skipNotFound: true }
          : { request: (l) => (l.manual ? undefined : { path: `/items/${l.id}` }), items: (body, _res, l) => [emit(body, { rawId: `item-${l.id}`, metadata: { listed_at: l.at } })] },
        incremental: kind,
      }),
    ],
  });
}

async function run(db: TestDatabase, src: Source, extra: Parameters<typeof ingest>[2] = {}) {
  server.requests.length = 0;
  return ingest(db, src, { logger: silentLogger(), env: { [`${src.name.toUpperCase()}_BASE_URL`]: server.url }, ...extra });
}
const detailsAsked = () => server.requests.filter((r) => r.path.startsWith('/items/')).map((r) => r.path);
async function stateOf(db: TestDatabase, name: string) {
  const rows = await db.withSession((s) => s.query<{ cursor: any }>('SELECT cursor FROM bronze_state WHERE source = $1', [name]));
  return rows[0]?.cursor;
}

describeEachEngine('by-field unchanged: records handled before are skipped unless their key changed', (db) => {
  it('no detail request for unchanged records, one for each changed or new one; seen, count and collected values in the state', async () => {
    seed();
    const src = source('unch_basic');
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', inserted: 6 });
    expect(detailsAsked()).toHaveLength(6);
    const state = await stateOf(db(), 'unch_basic');
    // Strava's shape: cursor, seen (id → [value, 16 hex]) from cursor − overlap on, count, the collected values.
    expect(state).toMatchObject({ cursor: data[5].at, count: 6, tags: ['b1', 'g2'] });
    expect(Object.keys(state.seen).sort()).toEqual(['5', '6']);
    expect(state.seen['6']).toEqual([data[5].at, expect.stringMatching(/^[0-9a-f]{16}$/)]);
    expect(ends.at(-1)).toEqual(state);

    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', seen: 0 });
    expect(server.requests.map((r) => r.path)).toEqual(['/asc']);

    data[4].likes = 9; // outside the key: nothing asked
    data[5].v = 2; // changed: asked again, a new version
    data.push({ id: 7, at: '2024-01-13T10:00:00.000Z', v: 1, likes: 0, tag: 'g3' });
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', seen: 2, inserted: 2, newVersion: 1 });
    expect(detailsAsked()).toEqual(['/items/6', '/items/7']);
    expect(await stateOf(db(), 'unch_basic')).toMatchObject({ cursor: data[6].at, count: 7, tags: ['b1', 'g2', 'g3'] });
  });

  it('a crash in the middle of the listing, then a re-run: nothing stored twice, no detail asked again but the one at the crash, the cursor never past an uncommitted record', async () => {
    seed();
    await run(db(), source('unch_clean'));
    const src = source('unch_crash');
    const crashed = await run(db(), crashingAfter(src, 6)).catch((e: Error) => e);
    expect(String(crashed)).toContain('simulated crash');
    const first = detailsAsked();
    const committed = await tableSnapshot(db(), 'unch_crash');
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length).toBeLessThan(6);
    const state = await stateOf(db(), 'unch_crash');
    const storedAt = data.filter((d) => committed.some((c) => c.startsWith(`details|${d.id}|`))).map((d) => d.at);
    expect(state.cursor <= storedAt.sort().at(-1)!).toBe(true);
    expect(state.count).toBeLessThanOrEqual(committed.length);
    // The collected values of what was committed are in the state already.
    expect(state.tags).toEqual([...new Set(data.filter((d) => d.at <= state.cursor).map((d) => d.tag))].sort());
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded' });
    const again = detailsAsked().filter((p) => first.includes(p));
    expect(again.length).toBeLessThanOrEqual(1);
    expect(new Set([...first, ...detailsAsked()]).size).toBe(6);
    expect(await tableSnapshot(db(), 'unch_crash')).toEqual(await tableSnapshot(db(), 'unch_clean'));
    expect(await stateOf(db(), 'unch_crash')).toEqual(await stateOf(db(), 'unch_clean'));
  });

  it('a listing out of ascending order fails the read and leaves the cursor where the run found it', async () => {
    seed();
    const src = source('unch_order');
    await run(db(), src);
    const before = await stateOf(db(), 'unch_order');
    data.push({ id: 7, at: '2024-01-13T10:00:00.000Z', v: 1, likes: 0 }, { id: 8, at: '2024-01-15T10:00:00.000Z', v: 1, likes: 0 });
    shuffled = true; // 8, 7, 6, 5: the newest first
    const failed = await run(db(), src).catch((e: Error) => e);
    expect(String(failed)).toContain('details: the listing gave a record of 2024-01-13T10:00:00.000Z after one of 2024-01-15T10:00:00.000Z, so it is not in ascending order');
    expect(await stateOf(db(), 'unch_order')).toEqual(before);
    shuffled = false;
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', inserted: 1 });
    expect(detailsAsked()).toEqual(['/items/7', '/items/8']);
    expect(await tableSnapshot(db(), 'unch_order')).toHaveLength(8);
  });

  it('detail: a 404 stores nothing and is not asked again; no request when request() gives none; rows may carry their raw_id and metadata', async () => {
    seed();
    deleted.add(6);
    expect(await run(db(), source('unch_gone'))).toMatchObject({ status: 'succeeded', inserted: 5 });
    expect(await stateOf(db(), 'unch_gone')).toMatchObject({ count: 6 });
    // 5 and 6 are listed again (the overlap): neither is asked for.
    expect(await run(db(), source('unch_gone'))).toMatchObject({ status: 'succeeded', seen: 0 });
    expect(server.requests.map((r) => r.path)).toEqual(['/asc']);

    deleted.clear();
    data[1].manual = true;
    expect(await run(db(), source('unch_meta', 'meta'))).toMatchObject({ status: 'succeeded', inserted: 5 });
    expect(detailsAsked()).not.toContain('/items/2');
    const rows = await db().withSession((s) => s.query<{ raw_id: string; metadata: any }>(`SELECT raw_id, metadata FROM bronze_unch_meta ORDER BY raw_id`));
    expect(rows.map((r) => r.raw_id)).toEqual(['item-1', 'item-3', 'item-4', 'item-5', 'item-6']);
    expect(rows[0].metadata).toMatchObject({ listed_at: data[0].at });
  });

  it('options that cannot work together are refused when the stream is declared', () => {
    const declare = (k: Partial<ByFieldKind<Item>>) => () => defineApiStream<Item>({ name: 's', schema: Type.Object({}), id: 'id', request: () => ({ path: '/' }), incremental: { ...kind, ...k } as ByFieldKind<Item> });
    expect(declare({ backfill: { from: '2024-01-01', stepMs: DAY } })).toThrow(/unchanged needs a listing after the cursor/);
    expect(declare({ collect: { seen: (r) => r.tag } })).toThrow(/collect cannot name a value seen/);
    expect(declare({ stopAtCursor: true })).toThrow(/stopAtCursor needs order: 'descending'/);
  });
});
