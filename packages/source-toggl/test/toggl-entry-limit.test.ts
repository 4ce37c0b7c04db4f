import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, describeOneEngine, ingestCapturingLogs, startFixtureServer, type FixtureServer, type Scenario, type TestDatabase } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { ENTRIES_PER_ANSWER } from '../src/streams/time-entries.js';
import { env, togglScenario, WINDOW_1 } from './toggl-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...toggl, rateLimit: undefined };
const TE = '/api/v9/me/time_entries';
const WINDOW_1_END = '2024-03-31T00:00:00Z';
/** Where the window is cut in two: its start plus 15 of its 30 days. */
const MIDDLE = '2024-03-16T00:00:00Z';

/** A real recorded entry (fixtures README) as the template; each copy its own id and start. */
const template = (JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'time-entries-window-1.json'), 'utf8')) as Record<string, unknown>[])[0];

/** `count` entries from 2024-03-01 on, one every 30 minutes, newest first as Toggl lists them. */
function entries(count: number): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, k) => {
    const start = new Date(Date.parse(WINDOW_1) + k * 30 * 60_000);
    const stop = new Date(start.getTime() + 25 * 60_000);
    const iso = (d: Date) => d.toISOString().replace('.000Z', '+00:00');
    return { ...template, id: 4_100_000_000 + k, start: iso(start), stop: iso(stop), duration: 1500, at: iso(stop), description: `entry ${k}` };
  }).reverse();
}

const inRange = (list: Record<string, unknown>[], from: string, to: string) => list.filter((e) => Date.parse(e.start as string) >= Date.parse(from) && Date.parse(e.start as string) < Date.parse(to));
const window = (name: string, start: string, end: string, body: unknown) => ({ name, request: { path: TE, query: { start_date: start, end_date: end } }, response: { body }, times: 'always' as const });

/** The scenario with the first window holding `all`: Toggl sends the first 1,000 of any answer. */
function crowded(all: Record<string, unknown>[], sinceBody?: unknown): Scenario {
  const base = togglScenario({ sinceBody });
  const cap = (list: Record<string, unknown>[]) => list.slice(0, ENTRIES_PER_ANSWER);
  return {
    ...base,
    fixtures: [
      window('window 1, capped', WINDOW_1, WINDOW_1_END, cap(all)),
      window('first half', WINDOW_1, MIDDLE, cap(inRange(all, WINDOW_1, MIDDLE))),
      window('second half', MIDDLE, WINDOW_1_END, cap(inRange(all, MIDDLE, WINDOW_1_END))),
      ...base.fixtures,
    ],
  };
}

const storedIds = (db: TestDatabase) =>
  db.withSession((s) => s.query<{ raw_id: string }>(`SELECT DISTINCT raw_id FROM bronze_toggl WHERE stream = 'time_entries' AND raw_id LIKE '41%'`)).then((r) => r.map((x) => x.raw_id).sort());

describeOneEngine('toggl: the 1,000 entries Toggl sends at most', (db, engine) => {
  const fresh: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of fresh) await d.close();
  });

  it('a backfill window answered with 1,000 entries is read again as two halves: all 1,200 stored, each once', async () => {
    const all = entries(1200);
    expect(inRange(all, WINDOW_1, MIDDLE).length).toBeLessThan(ENTRIES_PER_ANSWER);
    server.load(crowded(all));
    const target = await createTestDatabase(engine);
    fresh.push(target);
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect(await storedIds(target)).toEqual(all.map((e) => String(e.id)).sort());
    const [{ rows }] = await target.withSession((s) => s.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM bronze_toggl WHERE stream = 'time_entries' AND raw_id LIKE '41%'`));
    expect(rows).toBe(1200);
    const asked = server.requests.filter((r) => r.path === TE && r.query.start_date?.startsWith('2024-03')).map((r) => [r.query.start_date, r.query.end_date]);
    expect(asked.slice(0, 3)).toEqual([[WINDOW_1, WINDOW_1_END], [WINDOW_1, MIDDLE], [MIDDLE, WINDOW_1_END]]);
  });

  it('1,000 entries changed since the cursor: the whole history is read again by windows, the run says so', async () => {
    const all = entries(1200);
    server.load(crowded(all, []));
    const target = await createTestDatabase(engine);
    fresh.push(target);
    expect((await ingestCapturingLogs(target, fast, { env: env(server.url) })).result?.status).toBe('succeeded');
    // Every entry edited at once (a bulk edit): `since` sends the latest 1,000 of them.
    const edited = all.map((e) => ({ ...e, description: `${String(e.description)} (edited)`, at: new Date().toISOString().replace(/\.\d+Z$/, '+00:00') }));
    server.load(crowded(edited, edited.slice(0, ENTRIES_PER_ANSWER)));
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect(result?.notes.join('\n')).toMatch(/time_entries: 1000 records changed since .*, the most the API sends at once: the whole history is read again by windows from 2024-01-31T00:00:00.000Z/);
    const latest = await target.withSession((s) =>
      s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_toggl t WHERE stream = 'time_entries' AND raw_id LIKE '41%' AND raw_data->>'description' LIKE '%(edited)' AND version = 2`),
    );
    expect(latest[0].n).toBe(1200);
    // The next run asks `since` again.
    server.load(crowded(edited, []));
    server.requests.length = 0;
    expect((await ingestCapturingLogs(target, fast, { env: env(server.url) })).result?.status).toBe('succeeded');
    expect(server.requests.filter((r) => r.path === TE).map((r) => Object.keys(r.query))).toEqual([['since']]);
  });
});
