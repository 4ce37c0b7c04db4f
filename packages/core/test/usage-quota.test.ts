import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachEngine, type TestDatabase } from '@bronze/testkit';
import { defineApiStream, defineSource, ingest, silentLogger, Type, type Source } from '../src/index.js';
import { quarterHourWindow, quotaDecision, utcDayWindow, type UsageQuota } from '../src/http/usage-quota.js';
import { startApiServer } from './api-server.js';
import { recordingClient } from './http-helpers.js';

// Strava's headers: one number per window, 15 minutes then day (developers.strava.com, Rate Limits).
const strava: UsageQuota = { headers: [{ limit: 'x-ratelimit-limit', usage: 'x-ratelimit-usage' }, { limit: 'x-readratelimit-limit', usage: 'x-readratelimit-usage' }], windows: [quarterHourWindow, utcDayWindow] };
const usage = (u15: number, uDay: number) => ({ 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': `${u15 * 2},${uDay * 2}`, 'x-readratelimit-limit': '100,1000', 'x-readratelimit-usage': `${u15},${uDay}` });
const at = (iso: string) => Date.parse(iso);

describe('quotaDecision (pure)', () => {
  it('below 95% of every window: go', () => {
    expect(quotaDecision(strava, new Headers(usage(94, 900)), at('2026-01-01T10:07:00Z')).action).toBe('go');
  });
  it('95% of the 15-minute window resetting in 8 minutes: pause until the quarter hour', () => {
    expect(quotaDecision(strava, new Headers(usage(95, 300)), at('2026-01-01T10:07:00Z'))).toMatchObject({ action: 'pause', untilMs: at('2026-01-01T10:15:00Z') });
  });
  it('95% of the 15-minute window resetting in 13 minutes: stop, resume at the quarter hour', () => {
    const d = quotaDecision(strava, new Headers(usage(95, 300)), at('2026-01-01T10:02:00Z'));
    expect(d.action).toBe('stop');
    expect(d.action === 'stop' && d.error.resumeAt.toISOString()).toBe('2026-01-01T10:15:00.000Z');
  });
  it('95% of the day: stop until UTC midnight, whatever the 15-minute window says', () => {
    const d = quotaDecision(strava, new Headers(usage(95, 950)), at('2026-01-01T10:07:00Z'));
    expect(d.action === 'stop' && d.error.message).toMatch(/1900 of 2000 requests of the daily window used .*run again after 2026-01-02T00:00:00Z \(UTC midnight\)/);
  });
});

describe('the client obeys the headers before its next request', () => {
  let server: Awaited<ReturnType<typeof startApiServer>>;
  let headers = usage(10, 10);
  beforeAll(async () => {
    server = await startApiServer(() => ({ body: [], headers }));
  });
  afterAll(() => server.close());

  it('pauses until the window resets, then goes on', async () => {
    headers = usage(96, 300);
    const { http, waits } = recordingClient(server.url, { usageQuota: strava, now: () => at('2026-01-01T10:11:30Z') });
    await http.json({ path: '/a' });
    expect(waits).toEqual([]);
    headers = usage(5, 301);
    await http.json({ path: '/b' });
    expect(waits).toEqual([210_000]);
    await http.json({ path: '/c' });
    expect(waits).toEqual([210_000]);
  });

  it('stops: the next request is never sent', async () => {
    headers = usage(95, 950);
    const { http } = recordingClient(server.url, { usageQuota: strava, now: () => at('2026-01-01T10:11:30Z') });
    await http.json({ path: '/a' });
    const before = server.requests.length;
    await expect(http.json({ path: '/b' })).rejects.toThrow(/run again after 2026-01-02T00:00:00Z/);
    expect(server.requests.length).toBe(before);
  });
});

// An API listing 10 records 2 per page, oldest first; the usage crosses 95% of an hourly window after page 2.
const records = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, at: new Date(Date.UTC(2024, 0, i + 1)).toISOString() }));
let api: Awaited<ReturnType<typeof startApiServer>>;
let spent = 0;
beforeAll(async () => {
  api = await startApiServer((url) => {
    spent++;
    const after = Number(url.searchParams.get('after') ?? 0);
    const page = Number(url.searchParams.get('page'));
    const list = records.filter((r) => Date.parse(r.at) / 1000 > after).slice((page - 1) * 2, page * 2);
    return { body: list, headers: { 'x-usage-limit': '10', 'x-usage': String(spent >= 2 ? 10 : 1) } };
  });
});
afterAll(() => api.close());

const source: Source = defineSource({
  name: 'quota_stop',
  version: '1',
  description: 'usage quota test',
  config: Type.Object({}),
  configure: () => ({}),
  baseUrl: 'http://127.0.0.1:1',
  usageQuota: { headers: [{ limit: 'x-usage-limit', usage: 'x-usage' }], windows: [{ name: 'hourly', resetsAt: (now) => new Date(now.getTime() + 3_600_000) }] },
  streams: () =>
    ['first', 'second'].map((name) =>
      defineApiStream<{ id: number; at: string }>({
        name,
        schema: Type.Object({ id: Type.Integer(), at: Type.String() }),
        id: (r) => String(r.id),
        request: (p) => ({ path: '/list', query: { after: p.after instanceof Date ? p.after.getTime() / 1000 : 0 } }),
        paging: { type: 'page', size: 2 },
        incremental: { kind: 'by-field', field: (r) => r.at, order: 'ascending' },
      }),
    ),
});

async function cursor(db: TestDatabase, stream: string): Promise<unknown> {
  const rows = await db.withSession((s) => s.query<{ cursor: unknown }>(`SELECT cursor FROM bronze_state WHERE source = 'quota_stop' AND stream = $1`, [stream]));
  return rows[0]?.cursor;
}

describeEachEngine('a quota stop ends the run cleanly', (db) => {
  it('succeeds with a note; the records read are stored with their cursor; the next run resumes there', async () => {
    spent = 0;
    const env = { QUOTA_STOP_BASE_URL: api.url };
    const first = await ingest(db(), source, { logger: silentLogger(), env });
    expect(first.status).toBe('succeeded');
    expect(first.inserted).toBe(4);
    expect(first.notes.join('\n')).toMatch(/^first: 10 of 10 requests of the hourly window used \(x-usage\).*the backfill is incomplete: run again after /);
    expect(await cursor(db(), 'first')).toEqual({ cursor: '2024-01-04T00:00:00.000Z' });
    expect(await cursor(db(), 'second')).toBeUndefined();
    expect(spent).toBe(2);
    spent = -100; // a new window
    const second = await ingest(db(), source, { logger: silentLogger(), env });
    expect(second).toMatchObject({ status: 'succeeded', inserted: 6 + 10 });
    expect(await cursor(db(), 'first')).toEqual({ cursor: '2024-01-10T00:00:00.000Z' });
    expect(await cursor(db(), 'second')).toEqual({ cursor: '2024-01-10T00:00:00.000Z' });
  });
});
