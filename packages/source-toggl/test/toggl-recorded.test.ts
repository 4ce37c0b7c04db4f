import { createTestDatabase, describeEachEngine, ingestCapturingLogs, startFixtureServer, type FixtureServer, type TestDatabase } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { elementsOf, recorded, recordedEnv, recordedScenario, REFERENCE } from './recorded-scenario.js';

// Responses the real Toggl Track API v9 sent to one account (test/fixtures/README.md), run end
// to end into bronze on both engines. Every expected count is counted here from the recorded
// text, never typed in; every row must hold its element exactly (api_token masked, as documented).

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...toggl, rateLimit: undefined };
const WINDOW_1 = recorded('time-entries-related.json'); // 2024-12-05 … 2024-12-15
const WINDOW_2 = recorded('time-entries-window.json'); // GET /me/time_entries?start_date&end_date
const SINCE = recorded('time-entries-since.json'); // GET /me/time_entries?since: four deleted entries, one edited
const RUNNING = recorded('time-entry-current-running.json'); // GET /me/time_entries/current: a running entry

/** The element as bronze must store it: unchanged, but for the documented api_token mask. */
const stored = (e: Record<string, unknown>) => ('api_token' in e ? { ...e, api_token: '[REDACTED]' } : e);

/** Counted on the text and with JSON.parse; the two counts must agree. */
function count(text: string): Record<string, unknown>[] {
  const { elements, onText } = elementsOf(text);
  expect(onText, 'elements counted on the text = elements parsed').toBe(elements.length);
  expect(elements.length).toBeGreaterThan(0);
  return elements;
}

type Row = { raw_id: string; version: number; validation_status: string; error_message: string | null; exact: boolean };
/** Rows of one stream, each with whether its raw_data equals (jsonb =, numbers by value) the element of that id. */
async function rowsAgainst(db: TestDatabase, stream: string, elements: Record<string, unknown>[]): Promise<Row[]> {
  const expected = JSON.stringify(elements.map(stored));
  return db.withSession((s) =>
    s.query<Row>(
      `SELECT b.raw_id, b.version, b.validation_status, b.error_message,
              b.raw_data = (SELECT e FROM jsonb_array_elements($2::jsonb) e WHERE e->>'id' = b.raw_id) AS exact
         FROM bronze_toggl b WHERE b.stream = $1 ORDER BY b.raw_id, b.version`,
      [stream, expected],
    ),
  );
}

function expectExactly(rows: Row[], elements: Record<string, unknown>[], what: string) {
  expect(rows.map((r) => r.raw_id).sort(), `${what}: one row per element`).toEqual(elements.map((e) => String(e.id)).sort());
  for (const r of rows) {
    expect(r.validation_status, `${what} ${r.raw_id}: ${r.error_message}`).toBe('valid');
    expect(r.exact, `${what} ${r.raw_id}: raw_data = the recorded element`).toBe(true);
  }
}

describeEachEngine('toggl: recorded API responses', (db, engine) => {
  it('a backfill stores every recorded record of every stream once, exactly as sent', async () => {
    server.load(recordedScenario({ window1: WINDOW_1, window2: WINDOW_2 }));
    const { result } = await ingestCapturingLogs(db(), fast, { env: recordedEnv(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    let total = 0;
    for (const r of REFERENCE) {
      const elements = count(recorded(r.file));
      expectExactly(await rowsAgainst(db(), r.stream, elements), elements, r.stream);
      total += elements.length;
    }
    const entries = [...count(WINDOW_1), ...count(WINDOW_2)];
    expectExactly(await rowsAgainst(db(), 'time_entries', entries), entries, 'time_entries');
    expect(result?.inserted).toBe(total + entries.length);
    // The mask is the only change: no token of the recording reaches a row.
    const [leak] = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_toggl WHERE raw_data::text LIKE '%********************************%'`));
    expect(leak.n).toBe(0);
  });

  it('the recorded `since` answer: deleted entries are stored as new records with server_deleted_at, nothing removed', async () => {
    const before = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_toggl`));
    server.load(recordedScenario({ window1: WINDOW_1, window2: WINDOW_2, since: SINCE }));
    const { result } = await ingestCapturingLogs(db(), fast, { env: recordedEnv(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    const since = count(SINCE);
    const timeEntryRequests = server.requests.filter((r) => r.path === '/api/v9/me/time_entries');
    expect(timeEntryRequests.map((r) => Object.keys(r.query))).toEqual([['since']]);
    const all = [...count(WINDOW_1), ...count(WINDOW_2), ...since];
    expect(new Set(all.map((e) => e.id)).size, 'the recordings share no entry id').toBe(all.length);
    expectExactly(await rowsAgainst(db(), 'time_entries', all), all, 'time_entries');
    expect(result).toMatchObject({ inserted: since.length, newVersion: 0 });
    const deleted = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_toggl WHERE stream = 'time_entries' AND raw_data->>'server_deleted_at' IS NOT NULL`));
    expect(deleted[0].n).toBe(since.filter((e) => e.server_deleted_at !== null).length);
    const after = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_toggl`));
    expect(after[0].n).toBe(before[0].n + since.length);
  });

  it('a recorded running entry (negative duration, stop null), later recorded stopped, becomes two versions', async () => {
    const fresh = await createTestDatabase(engine);
    try {
      const running = count(RUNNING)[0];
      // /me/time_entries/current answers one object; a window answers a list: wrapped here.
      server.load(recordedScenario({ window1: `[${RUNNING}]` }));
      const first = await ingestCapturingLogs(fresh, fast, { env: recordedEnv(server.url) });
      expect(first.result?.status, first.result?.errors.join('; ')).toBe('succeeded');
      expect(running.duration as number).toBeLessThan(0);

      const window = count(WINDOW_1);
      const stopped = window.find((e) => e.id === running.id)!;
      expect(stopped.stop).not.toBeNull();
      server.load(recordedScenario({ window1: WINDOW_1 }));
      const again = await ingestCapturingLogs(fresh, fast, { env: recordedEnv(server.url), fullRefresh: true });
      expect(again.result).toMatchObject({ status: 'succeeded', inserted: window.length, newVersion: 1 });
      const versions = (await rowsAgainst(fresh, 'time_entries', [running])).filter((r) => r.raw_id === String(running.id));
      expect(versions.map((r) => [r.version, r.exact])).toEqual([[1, true], [2, false]]);
      const latest = (await rowsAgainst(fresh, 'time_entries', window)).filter((r) => r.raw_id === String(running.id));
      expect(latest.map((r) => [r.version, r.exact])).toEqual([[1, false], [2, true]]);
    } finally {
      await fresh.close();
    }
  });
});
