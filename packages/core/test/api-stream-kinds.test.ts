import { afterAll, beforeAll, expect, it } from 'vitest';
import { crashingAfter, describeEachEngine, tableSnapshot, type TestDatabase } from '@bronze/testkit';
import { defineApiStream, defineSource, ingest, silentLogger, Type, type ApiStreamSpec, type IncrementalKind, type Source } from '../src/index.js';
import { startApiServer } from './api-server.js';

interface Item {
  id: number;
  at: string;
  day: string;
  v: number;
}

const DAY = 86_400_000;
const NOW = Date.parse('2024-03-10T12:00:00Z');
let data: Item[] = [];
const item = (id: number, at: string, v = 1): Item => ({ id, at, day: at.slice(0, 10), v });
const unix = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * The API the kinds read: /asc (after=unix, page/per_page, oldest first), /desc (newest first,
 * offset/limit), /items/{id} (detail), /windowed (start_date/end_date or since=unix on `at`),
 * /days (from/to calendar days), /all (everything).
 */
let server: Awaited<ReturnType<typeof startApiServer>>;
beforeAll(async () => {
  server = await startApiServer((url) => {
    const q = url.searchParams;
    const byAt = [...data].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
    const page = (list: Item[], start: number, size: number) => ({ body: list.slice(start, start + size) });
    switch (true) {
      case url.pathname === '/asc': {
        const after = q.has('after') ? Number(q.get('after')) : -Infinity;
        const size = Number(q.get('per_page'));
        return page(byAt.filter((d) => unix(d.at) > after), (Number(q.get('page')) - 1) * size, size);
      }
      case url.pathname === '/desc': {
        const after = q.get('startDate') ?? '';
        return page(byAt.filter((d) => d.day >= after).reverse(), Number(q.get('start')), Number(q.get('limit')));
      }
      case url.pathname.startsWith('/items/'):
        return { body: { detail: true, ...data.find((d) => d.id === Number(url.pathname.slice(7)))! } };
      case url.pathname === '/windowed':
        if (q.has('since')) return { body: byAt.filter((d) => unix(d.at) >= Number(q.get('since'))) };
        return { body: byAt.filter((d) => d.at >= q.get('start_date')! && d.at < q.get('end_date')!) };
      case url.pathname === '/limited':
        // Serves windows from 2023-12-02 on, yet names the day before (another time zone's midnight).
        if (!q.has('since') && q.get('start_date')! < '2023-12-02') return { status: 400, body: 'start_date must not be earlier than 2023-12-01' };
        return { body: byAt.filter((d) => d.at >= q.get('start_date')! && d.at < q.get('end_date')!) };
      case url.pathname === '/capped':
        // Answers with the first `cap` records of a window, saying nothing of the others (Toggl's 1,000).
        return { body: byAt.filter((d) => d.at >= q.get('start_date')! && d.at < q.get('end_date')!).slice(0, Number(q.get('cap'))) };
      case url.pathname === '/days':
        return { body: byAt.filter((d) => d.day >= q.get('from')! && d.day <= q.get('to')!).reverse() };
      case url.pathname === '/all':
        return { body: { items: byAt } };
    }
    return { status: 404, body: null };
  });
});
afterAll(() => server.close());

function source(name: string, path: string, kind: IncrementalKind<Item>, extra: Partial<ApiStreamSpec<Item, Item>> = {}): Source {
  return defineSource({
    name,
    version: '1',
    description: 'kinds test',
    config: Type.Object({}),
    configure: () => ({}),
    baseUrl: 'http://127.0.0.1:1',
    streams: () => [
      defineApiStream<Item, Item>({
        name: 'items',
        schema: Type.Object({ id: Type.Integer(), at: Type.String(), v: Type.Number() }),
        id: (r) => String(r.id),
        timestamp: (r) => new Date(r.at),
        request: (p) => ({ path, query: { after: p.after instanceof Date ? Math.floor(p.after.getTime() / 1000) : undefined, startDate: p.after instanceof Date ? p.after.toISOString().slice(0, 10) : undefined, from: p.from, to: p.to, start_date: p.window?.start.toISOString(), end_date: p.window?.end.toISOString(), since: p.after instanceof Date && path === '/windowed' ? Math.floor(p.after.getTime() / 1000) : undefined } }),
        incremental: kind,
        ...extra,
      }),
    ],
  });
}

async function run(db: TestDatabase, src: Source, extra: Parameters<typeof ingest>[2] = {}) {
  server.requests.length = 0;
  return ingest(db, src, { logger: silentLogger(), env: { [`${src.name.toUpperCase()}_BASE_URL`]: server.url }, now: () => new Date(NOW), ...extra });
}
async function cursorOf(db: TestDatabase, name: string) {
  const rows = await db.withSession((s) => s.query<{ cursor: unknown }>('SELECT cursor FROM bronze_state WHERE source = $1', [name]));
  return rows[0]?.cursor;
}

const asc: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.at, order: 'ascending', overlapMs: 60_000 };
const ascPaging = { type: 'page' as const, size: 2 };
const seed = () => (data = [item(1, '2024-01-01T10:00:00Z'), item(2, '2024-01-05T10:00:00Z'), item(3, '2024-01-05T10:00:00Z'), item(4, '2024-02-01T08:00:00Z'), item(5, '2024-02-20T08:00:00Z')]);

describeEachEngine('declarative API streams', (db) => {
  it('by-field, ascending: reads all, then one request after the cursor; new and edited records only', async () => {
    seed();
    const src = source('kind_asc', '/asc', asc, { paging: ascPaging });
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', inserted: 5 });
    expect(await cursorOf(db(), 'kind_asc')).toEqual({ cursor: '2024-02-20T08:00:00.000Z' });
    const again = await run(db(), src);
    expect(again).toMatchObject({ seen: 1, inserted: 0 });
    expect(server.requests.map((r) => r.query.after)).toEqual([String(unix('2024-02-20T07:59:00Z'))]);
    data.push(item(6, '2024-03-01T00:00:00Z'));
    data[4] = { ...data[4], v: 2 };
    expect(await run(db(), src)).toMatchObject({ seen: 2, inserted: 2, newVersion: 1 });
  });

  it('by-field, ascending: a crash after committed batches, then a re-run, equals one clean run; the cursor never passes an uncommitted record', async () => {
    seed();
    const clean = source('kind_asc_clean', '/asc', asc, { paging: ascPaging });
    await run(db(), clean);
    const src = source('kind_asc_crash', '/asc', asc, { paging: ascPaging });
    const crashed = await run(db(), crashingAfter(src, 7), { batchSize: 1 }).catch((e: Error) => e);
    expect(String(crashed instanceof Error ? crashed.message : crashed.errors)).toContain('simulated crash');
    const committed = await tableSnapshot(db(), 'kind_asc_crash');
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length).toBeLessThan(5);
    const cursor = (await cursorOf(db(), 'kind_asc_crash')) as { cursor: string };
    const stored = data.filter((d) => committed.some((c) => c.startsWith(`items|${d.id}|`)));
    expect(cursor.cursor <= new Date(Math.max(...stored.map((d) => Date.parse(d.at)))).toISOString()).toBe(true);
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded' });
    expect(await tableSnapshot(db(), 'kind_asc_crash')).toEqual(await tableSnapshot(db(), 'kind_asc_clean'));
  });

  it('by-field, descending with a detail request per record: handed over oldest first, cursor at the end', async () => {
    seed();
    const kind: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.at, order: 'descending', overlapMs: DAY };
    const src = source('kind_desc', '/desc', kind, { paging: { type: 'offset', size: 2, offsetParam: 'start', limitParam: 'limit' }, detail: { request: (l: Item) => ({ path: `/items/${l.id}` }) } });
    expect(await run(db(), src)).toMatchObject({ inserted: 5 });
    // Oldest first (2 and 3 share their instant, in either order).
    const details = server.requests.filter((r) => r.path.startsWith('/items/')).map((r) => r.path);
    expect([details[0], ...details.slice(3)]).toEqual(['/items/1', '/items/4', '/items/5']);
    expect(await cursorOf(db(), 'kind_desc')).toEqual({ cursor: '2024-02-20T08:00:00.000Z' });
    expect(await run(db(), src)).toMatchObject({ seen: 1, inserted: 0 });
    expect(server.requests[0].query.startDate).toBe('2024-02-19');
    const crash = source('kind_desc_crash', '/desc', kind, { paging: { type: 'offset', size: 2, offsetParam: 'start', limitParam: 'limit' }, detail: { request: (l: Item) => ({ path: `/items/${l.id}` }) } });
    await run(db(), crashingAfter(crash, 4), { batchSize: 1 }).catch(() => undefined);
    expect(((await cursorOf(db(), 'kind_desc_crash')) as { cursor: string }).cursor < '2024-02-20').toBe(true);
    await run(db(), crash);
    expect(await tableSnapshot(db(), 'kind_desc_crash')).toEqual(await tableSnapshot(db(), 'kind_desc'));
  });

  it('by-field with backfill windows, lag and a too-old cursor (Toggl): windows first, then `since`', async () => {
    seed();
    const kind: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.at, overlapMs: 60_000, lagMs: 60_000, maxAgeMs: 80 * DAY, backfill: { from: '2023-12-01T00:00:00Z', stepMs: 30 * DAY, aheadMs: DAY } };
    const src = source('kind_windows', '/windowed', kind);
    expect(await run(db(), src)).toMatchObject({ inserted: 5 });
    expect(server.requests.map((r) => r.query.start_date)).toEqual(['2023-12-01T00:00:00.000Z', '2023-12-31T00:00:00.000Z', '2024-01-30T00:00:00.000Z', '2024-02-29T00:00:00.000Z']);
    // Nothing changed since the backfill began: the cursor is its start less the lag.
    expect(await cursorOf(db(), 'kind_windows')).toEqual({ cursor: '2024-03-10T11:59:00.000Z' });
    expect(await run(db(), src)).toMatchObject({ seen: 0, inserted: 0 });
    expect(server.requests.map((r) => r.query.since)).toEqual([String(unix('2024-03-10T11:58:00Z'))]);
    // 100 days later the cursor is too old for `since`: windows from the cursor instead.
    expect(await run(db(), src, { now: () => new Date(NOW + 100 * DAY) })).toMatchObject({ status: 'succeeded' });
    expect(server.requests[0].query.start_date).toBe('2024-03-10T11:58:00.000Z');
  });

  it('backfill.earliest: a window the API refuses as too old moves the backfill to the day it names, at least one day on, and the summary says what was not read', async () => {
    seed();
    const named = (e: Error) => /earlier than (\d{4}-\d{2}-\d{2})/.exec(e.message)?.[1];
    const earliest = { from: (e: Error) => (named(e) ? new Date(`${named(e)}T00:00:00Z`) : undefined), advice: 'see the export' };
    const kind: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.at, lagMs: 0, backfill: { from: '2023-12-01T00:00:00Z', stepMs: 30 * DAY, earliest } };
    const result = await run(db(), source('kind_windows_limited', '/limited', kind));
    expect(result).toMatchObject({ status: 'succeeded', inserted: 5 });
    expect(server.requests.map((r) => r.query.start_date)).toEqual(['2023-12-01T00:00:00.000Z', '2023-12-02T00:00:00.000Z', '2024-01-01T00:00:00.000Z', '2024-01-31T00:00:00.000Z', '2024-03-01T00:00:00.000Z']);
    expect(result.notes).toContainEqual(expect.stringMatching(/^items: the API refused the backfill's window from 2023-12-01T00:00:00.000Z \(.*answered 400: "start_date must not be earlier than 2023-12-01"\); the backfill goes on from 2023-12-02T00:00:00.000Z, so the records of 2023-12-01T00:00:00.000Z to 2023-12-02T00:00:00.000Z were not read: see the export$/));
    expect(await cursorOf(db(), 'kind_windows_limited')).toEqual({ cursor: '2024-03-10T12:00:00.000Z' });
  });

  it('backfill.capacity: a window answered with as many records as the API sends at most is read again in halves; records at one instant beyond it fail the read, naming the window', async () => {
    data = [item(1, '2024-01-01T10:00:00Z'), item(2, '2024-01-05T10:00:00Z'), item(3, '2024-01-06T10:00:00Z'), item(4, '2024-01-07T10:00:00Z'), item(5, '2024-02-20T08:00:00Z')];
    const capped = (cap: number): IncrementalKind<Item> => ({ kind: 'by-field', field: (r) => r.at, lagMs: 0, backfill: { from: '2023-12-01T00:00:00Z', stepMs: 60 * DAY, capacity: cap } });
    const request = (cap: number) => ({ request: (p: { window?: { start: Date; end: Date } }) => ({ path: '/capped', query: { start_date: p.window?.start.toISOString(), end_date: p.window?.end.toISOString(), cap } }) });
    const result = await run(db(), source('kind_capped', '/capped', capped(3), request(3)));
    expect(result).toMatchObject({ status: 'succeeded', inserted: 5 });
    // The first window holds 4 records, sent 3: it is read again in halves (and those in halves).
    expect(server.requests.length).toBeGreaterThan(2);
    expect(await cursorOf(db(), 'kind_capped')).toEqual({ cursor: '2024-03-10T12:00:00.000Z' });

    // A --since range is read by the same windows, a full one in halves too: all 4 of January.
    const ranged = await run(db(), source('kind_capped_range', '/capped', capped(3), request(3)), { since: new Date('2024-01-01T00:00:00Z'), until: new Date('2024-02-01T00:00:00Z') });
    expect(ranged).toMatchObject({ status: 'succeeded', inserted: 4 });

    // Items 2 and 3 share one instant: no window narrower than a minute holds fewer than 2.
    seed();
    await expect(run(db(), source('kind_capped_same', '/capped', capped(2), request(2)))).rejects.toThrow(
      /^items: the API returned 2 records, the most it sends at once, for the window 2024-01-05T\d{2}:\d{2}:\d{2}\.000Z to 2024-01-05T\d{2}:\d{2}:\d{2}\.000Z, \d+(\.\d+)? s wide: records past them cannot be asked for, so the window is not marked read$/,
    );
    const state = (await cursorOf(db(), 'kind_capped_same')) as { backfill?: { next: string } } | undefined;
    // The windows before the full one are marked read; the full one (and all after it) is not.
    expect(state?.backfill?.next).toBeDefined();
    expect(state!.backfill!.next <= '2024-01-05T10:00:00.000Z').toBe(true);
  });

  it('historyOnly: the backfill is read once; later runs ask nothing; --since still re-reads a range', async () => {
    seed();
    const kind: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.at, lagMs: 0, historyOnly: true, backfill: { from: '2023-12-01T00:00:00Z', stepMs: 60 * DAY } };
    const src = source('kind_history', '/windowed', kind);
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', inserted: 5 });
    expect(server.requests).toHaveLength(2);
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded', seen: 0 });
    expect(server.requests).toHaveLength(0);
    await run(db(), src, { since: new Date('2024-01-01T00:00:00Z'), until: new Date('2024-01-02T00:00:00Z') });
    expect(server.requests.map((r) => r.query.start_date)).toEqual(['2024-01-01T00:00:00.000Z']);
  });

  it('a backfill interrupted between windows resumes at the next window', async () => {
    seed();
    const kind: IncrementalKind<Item> = { kind: 'by-field', field: (r) => r.at, lagMs: 0, backfill: { from: '2023-12-01T00:00:00Z', stepMs: 30 * DAY } };
    const src = source('kind_windows_crash', '/windowed', kind);
    await run(db(), crashingAfter(src, 5), { batchSize: 1 }).catch(() => undefined);
    const state = (await cursorOf(db(), 'kind_windows_crash')) as { backfill: { next: string } };
    expect(state.backfill.next).toBe('2024-01-30T00:00:00.000Z');
    expect(await run(db(), src)).toMatchObject({ status: 'succeeded' });
    expect(server.requests.map((r) => r.query.start_date)).toEqual(['2024-01-30T00:00:00.000Z', '2024-02-29T00:00:00.000Z']);
    expect(await tableSnapshot(db(), 'kind_windows_crash')).toEqual(await tableSnapshot(db(), 'kind_windows'));
  });

  it('day-window: days in order, N days re-read, empty days move the cursor, --since leaves it', async () => {
    data = [item(1, '2024-03-01T10:00:00Z'), item(2, '2024-03-03T10:00:00Z'), item(3, '2024-03-04T09:00:00Z')];
    const kind: IncrementalKind<Item> = { kind: 'day-window', startDay: '2024-03-01', overlapDays: 2, daysPerRequest: 3, day: (r) => r.day };
    const src = source('kind_days', '/days', kind);
    expect(await run(db(), src)).toMatchObject({ inserted: 3 });
    expect(server.requests.map((r) => `${r.query.from}..${r.query.to}`)).toEqual(['2024-03-01..2024-03-03', '2024-03-04..2024-03-06', '2024-03-07..2024-03-09', '2024-03-10..2024-03-10']);
    expect(await cursorOf(db(), 'kind_days')).toEqual({ day: '2024-03-10' });
    expect(await run(db(), src)).toMatchObject({ inserted: 0 });
    expect(server.requests.map((r) => r.query.from)).toEqual(['2024-03-08']);
    await run(db(), src, { since: new Date('2024-03-01T00:00:00Z'), until: new Date('2024-03-02T00:00:00Z') });
    expect(server.requests.map((r) => `${r.query.from}..${r.query.to}`)).toEqual(['2024-03-01..2024-03-01']);
    expect(await cursorOf(db(), 'kind_days')).toEqual({ day: '2024-03-10' });
    const crash = source('kind_days_crash', '/days', kind);
    await run(db(), crashingAfter(crash, 3), { batchSize: 1 }).catch(() => undefined);
    expect(await cursorOf(db(), 'kind_days_crash')).toEqual({ day: '2024-03-03' });
    await run(db(), crash);
    expect(await tableSnapshot(db(), 'kind_days_crash')).toEqual(await tableSnapshot(db(), 'kind_days'));
  });

  it('snapshot: everything re-read, only changes stored, no cursor', async () => {
    seed();
    const src = source('kind_snap', '/all', { kind: 'snapshot' });
    expect(await run(db(), src)).toMatchObject({ inserted: 5 });
    expect(await run(db(), src)).toMatchObject({ seen: 5, inserted: 0, unchanged: 5 });
    data[0] = { ...data[0], v: 9 };
    expect(await run(db(), src)).toMatchObject({ seen: 5, inserted: 1, newVersion: 1 });
    expect(await cursorOf(db(), 'kind_snap')).toBeUndefined();
  });
});
