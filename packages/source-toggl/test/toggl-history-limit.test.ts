import { createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, type FixtureServer, type TestDatabase, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { env, togglScenario, START_DATE } from './toggl-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...toggl, rateLimit: undefined };
const TE = '/api/v9/me/time_entries';
/** The first day Toggl serves by date in these tests: the backfill starts a month earlier. */
const SERVED_FROM = '2024-03-01';

/**
 * Toggl's answer to a window older than it serves by date (the body a JSON string, as Toggl
 * sends its errors; the message as clients of the real API quote it).
 */
const tooOld = (message = `start_date must not be earlier than ${SERVED_FROM}`) => ({
  name: 'too old', request: { path: TE, query: { start_date: { regex: '^2024-0[12]-' }, end_date: '*' } }, response: { status: 400, body: message }, times: 'always' as const,
});

describeOneEngine('toggl: the date range Toggl serves', (db, engine) => {
  const fresh: TestDatabase[] = [];
  afterAll(async () => {
    for (const d of fresh) await d.close();
  });

  it('a backfill older than Toggl serves goes on from the day Toggl names, says what it could not read, and the next run asks `since`', async () => {
    server.load(togglScenario());
    const { result: cleanRun } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(cleanRun?.status).toBe('succeeded');
    const clean = await tableSnapshot(db(), 'toggl');

    const limited = togglScenario();
    server.load({ ...limited, fixtures: [tooOld(), ...limited.fixtures] });
    const target = await createTestDatabase(engine);
    fresh.push(target);
    const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    // The entries lie from SERVED_FROM on: nothing of them is missing.
    expect(await tableSnapshot(target, 'toggl')).toEqual(clean);
    const windows = server.requests.filter((r) => r.path === TE).map((r) => r.query.start_date);
    expect(windows.slice(0, 3)).toEqual([`${START_DATE}T00:00:00Z`, `${SERVED_FROM}T00:00:00Z`, '2024-03-31T00:00:00Z']);
    expect(windows.filter((w) => w! < SERVED_FROM)).toHaveLength(1); // the refused window, asked once
    const note = result!.notes.find((n) => n.startsWith('time_entries: the API refused'));
    expect(note).toContain(`the records of ${START_DATE}T00:00:00.000Z to ${SERVED_FROM}T00:00:00.000Z were not read`);
    expect(note).toContain('start_date must not be earlier than 2024-03-01');

    server.requests.length = 0;
    const { result: next } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(next?.status).toBe('succeeded');
    expect(server.requests.filter((r) => r.path === TE).map((r) => Object.keys(r.query))).toEqual([['since']]);
  });

  it('any other 400 still fails the run, and the backfill starts there again next time', async () => {
    const limited = togglScenario();
    server.load({ ...limited, fixtures: [tooOld('Invalid start_date'), ...limited.fixtures] });
    const target = await createTestDatabase(engine);
    fresh.push(target);
    const { result, error } = await ingestCapturingLogs(target, fast, { env: env(server.url) });
    expect(result).toBeUndefined();
    expect(error?.message).toMatch(/answered 400: "Invalid start_date"/);
    const [state] = await target.withSession((s) => s.query<{ cursor: unknown }>(`SELECT cursor FROM bronze_state WHERE source = 'toggl' AND stream = 'time_entries'`));
    expect(state?.cursor ?? null).toBeNull();
  });
});
