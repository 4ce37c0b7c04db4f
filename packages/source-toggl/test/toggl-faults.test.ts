import { crashingAfter, createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, type FixtureServer, type TestDatabase, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { env, REPORTS_SEARCH, togglScenario, WINDOW_1, WINDOW_2 } from './toggl-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...toggl, rateLimit: undefined };
const QUOTA_BODY = 'You have hit your hourly limit for API calls. Your quota will reset in 1 seconds.';

describeOneEngine('toggl under faults', (db, engine) => {
  let clean: string[] = [];
  const fresh: TestDatabase[] = [];
  const freshDb = async () => {
    const d = await createTestDatabase(engine);
    fresh.push(d);
    return d;
  };
  afterAll(async () => {
    for (const d of fresh) await d.close();
  });

  it('a clean run, for comparison', async () => {
    server.load(togglScenario());
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    clean = await tableSnapshot(db(), 'toggl');
    expect(clean).toHaveLength(12);
  });

  it('429, 402 quota, 503, a reset, a truncated body, a timeout and bad JSON: every record stored once, waits as asked', async () => {
    server.load(
      togglScenario({
        faults: {
          me: [{ name: '429', request: { path: '/api/v9/me' }, response: { status: 429, headers: { 'retry-after': '1' } } }],
          workspaces: [{ name: '402', request: { path: '/api/v9/me/workspaces' }, response: { status: 402, headers: { 'x-toggl-quota-resets-in': '1', 'x-toggl-quota-remaining': '0' }, body: QUOTA_BODY } }],
          projects: [{ name: '503', request: { path: '/api/v9/me/projects', anyQuery: true }, response: { status: 503 } }],
          clients: [{ name: 'reset', request: { path: '/api/v9/me/clients' }, fault: 'reset' }],
          tags: [{ name: 'truncated', request: { path: '/api/v9/me/tags' }, response: { body: [{ id: 1, name: 'x'.repeat(200) }] }, fault: 'truncate' }],
          window1: [{ name: 'slow', request: { path: '/api/v9/me/time_entries', query: { start_date: WINDOW_1, end_date: '*' } }, response: { body: [] }, fault: 'slow', delayMs: 8000 }],
          window2: [{ name: 'malformed', request: { path: '/api/v9/me/time_entries', query: { start_date: '2024-03-31T00:00:00Z', end_date: '*' } }, fault: 'malformed-json' }],
        },
      }),
    );
    const target = await freshDb();
    const { result, logs } = await ingestCapturingLogs(target, fast, { env: env(server.url, { BRONZE_HTTP_TIMEOUT_MS: '2500' }) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify(); // every fault was served exactly once, nothing unmatched
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
    // Each faulted request took exactly two attempts: the fault, then the good answer.
    const answered = server.requests.map((r) => r.answeredBy);
    for (const [fault, good] of [['429', 'me'], ['402', 'workspaces'], ['503', 'projects'], ['reset', 'clients'], ['truncated', 'tags'], ['slow', 'window1'], ['malformed', 'window2']]) {
      expect(answered.indexOf(good), `${fault} then ${good}`).toBe(answered.indexOf(fault) + 1);
      // /me and /me/workspaces answer twice: their streams, and report_time_entries asking whose reports to read.
      expect(answered.filter((a) => a === good)).toHaveLength(good === 'me' || good === 'workspaces' ? 2 : 1);
    }
    const waits = logs.split('\n').filter((l) => l.includes('before retrying')).map((l) => JSON.parse(l).message as string);
    expect(waits, waits.join('\n')).toHaveLength(7);
    expect(waits[0]).toBe('waiting 1.0 s before retrying: toggl GET /api/v9/me: answered 429 (asked to wait 1 s) (attempt 1 of 5)');
    expect(waits[1]).toBe('waiting 1.0 s before retrying: toggl GET /api/v9/me/workspaces: answered 402 (asked to wait 1 s) (attempt 1 of 5)');
    expect(waits[2]).toMatch(/^waiting (0\.[5-9]|1\.0) s before retrying: toggl GET \/api\/v9\/me\/projects\?include_archived=true: answered 503 \(attempt 1 of 5\)$/);
    expect(waits[3]).toMatch(/toggl GET \/api\/v9\/me\/clients: network error/);
    expect(waits[4]).toMatch(/toggl GET \/api\/v9\/me\/tags: network error/);
    expect(waits[5]).toMatch(/time_entries\?start_date=2024-03-01T00:00:00Z&end_date=2024-03-31T00:00:00Z: no complete response within 2500 ms/);
    expect(waits[6]).toMatch(/start_date=2024-03-31T00:00:00Z.*: malformed JSON/);
  });

  it('quota headers on every response (Resets-In: 1800, quota left): 5xx and 429 follow the backoff, the run succeeds', async () => {
    const te = (start: string) => ({ path: '/api/v9/me/time_entries', query: { start_date: start, end_date: '*' } });
    server.load(
      togglScenario({
        quota: { remaining: 25, resetsIn: 1800 },
        faults: {
          me: [{ name: '502', request: { path: '/api/v9/me' }, response: { status: 502 } }],
          projects: [{ name: '503', request: { path: '/api/v9/me/projects', anyQuery: true }, response: { status: 503 }, times: 2 }],
          window1: [{ name: '500', request: te(WINDOW_1), response: { status: 500 } }],
          window2: [{ name: '429', request: te('2024-03-31T00:00:00Z'), response: { status: 429 } }],
        },
      }),
    );
    const target = await freshDb();
    const { result, logs } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ') || logs).toBe('succeeded');
    server.verify();
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
    const waits = logs.split('\n').filter((l) => l.includes('before retrying')).map((l) => JSON.parse(l).message as string);
    expect(waits).toHaveLength(5);
    for (const w of waits) expect(w).not.toMatch(/asked to wait/);
  });

  it('a quota that resets later than bronze waits fails clearly, and the next run completes the table', async () => {
    server.load(togglScenario({ faults: { window2: [{ name: '402 long', request: { path: '/api/v9/me/time_entries', query: { start_date: '2024-03-31T00:00:00Z', end_date: '*' } }, response: { status: 402, headers: { 'x-toggl-quota-resets-in': '3000' }, body: QUOTA_BODY } }] } }));
    const target = await freshDb();
    const { error } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(error?.message).toMatch(/^toggl GET \/api\/v9\/me\/time_entries\?start_date=2024-03-31T00:00:00Z.*answered 402.*asks to wait 3000 s.*the answer: "You have hit your hourly limit.*Toggl's hourly API quota is spent: run again later/);
    const [run] = await target.withSession((s) => s.query<{ status: string }>(`SELECT status FROM bronze_runs ORDER BY started_at DESC LIMIT 1`));
    expect(run.status).toBe('failed');
    server.load(togglScenario());
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
    // It resumed at the window that failed rather than starting the backfill over.
    const windows = server.requests.filter((r) => r.path === '/api/v9/me/time_entries').map((r) => r.query.start_date);
    expect(windows[0]).toBe(WINDOW_2);
  });

  it("a 402 that is not the quota (a plan without the Reports API) fails the run naming Toggl's answer and what to do", async () => {
    const FEATURE = 'Workspace needs to have this feature enabled';
    server.load(togglScenario({
      quota: { remaining: 25, resetsIn: 1800 },
      faults: { reports: [{ name: '402 feature', request: { method: 'POST', path: REPORTS_SEARCH }, response: { status: 402, body: FEATURE } }] },
    }));
    const target = await freshDb();
    const { result, error } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    const message = error?.message ?? result?.errors.join('; ') ?? '';
    expect(result?.status ?? 'failed').not.toBe('succeeded');
    // Toggl's error bodies are JSON strings, as served here.
    expect(message).toContain(`the answer: ${JSON.stringify(FEATURE)}`);
    expect(message).toContain('leave the stream out with --streams');
  });

  it('a crash mid-backfill resumes from the committed window and ends with the table of one clean run', async () => {
    server.load(togglScenario());
    const target = await freshDb();
    // 7 reference records, the empty first window's checkpoint, the 3 entries of window 1 and its
    // checkpoint; the crash hits window 2's first entry.
    const crashed = await ingestCapturingLogs(target, crashingAfter(fast, 12), { env: env(server.url), batchSize: 1 });
    expect(crashed.error?.message).toMatch(/simulated crash/);
    const [state] = await target.withSession((s) => s.query<{ cursor: { backfill: { next: string } } }>(`SELECT cursor FROM bronze_state WHERE stream = 'time_entries'`));
    expect(state.cursor.backfill.next).toBe('2024-03-31T00:00:00.000Z');
    expect((await tableSnapshot(target, 'toggl')).length).toBe(10);
    server.load(togglScenario());
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    expect(server.requests.find((r) => r.path === '/api/v9/me/time_entries')?.query.start_date).toBe(WINDOW_2);
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
  });
});
