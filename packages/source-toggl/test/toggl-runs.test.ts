import { BronzeError, ExitCode } from '@bronze/core';
import { countRows, createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, type FixtureServer, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { env, sinceChanges, togglScenario, TOKEN } from './toggl-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...toggl, rateLimit: undefined };
const REFERENCE_PATHS = ['/api/v9/me', '/api/v9/me/workspaces', '/api/v9/me/projects', '/api/v9/me/clients', '/api/v9/me/tags'];

describeOneEngine('toggl runs', (db, engine) => {
  const q = (sql: string) => db().withSession((s) => s.query<Record<string, any>>(sql));
  let clean: string[] = [];

  it('first run backfills in date windows and fills the api_* columns', async () => {
    server.load(togglScenario());
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    expect(result?.inserted).toBe(12); // me 1, workspaces 1, projects 2, clients 1, tags 2, time entries 5
    const windows = server.requests.filter((r) => r.path === '/api/v9/me/time_entries');
    expect(windows[0].query).toEqual({ start_date: '2024-01-31T00:00:00Z', end_date: '2024-03-01T00:00:00Z' });
    expect(windows[1].query).toEqual({ start_date: '2024-03-01T00:00:00Z', end_date: '2024-03-31T00:00:00Z' });
    expect(windows.every((r) => r.query.start_date && !r.query.since)).toBe(true);
    const [entry] = await q(`SELECT api_endpoint, api_response_code, api_request_id, api_version, source_timestamp, metadata FROM bronze_toggl WHERE stream = 'time_entries' AND raw_id = '3712345601'`);
    expect(entry).toMatchObject({
      api_endpoint: '/api/v9/me/time_entries?start_date=2024-03-01T00:00:00Z&end_date=2024-03-31T00:00:00Z',
      api_response_code: 200,
      api_request_id: 'req-window1',
      api_version: 'v9',
    });
    expect(new Date(entry.source_timestamp).toISOString()).toBe('2024-03-05T07:30:00.000Z');
    const [state] = await q(`SELECT cursor FROM bronze_state WHERE source = 'toggl' AND stream = 'time_entries'`);
    // Backfill done: the cursor is when it began, less the lag (no entry was modified later).
    expect(Math.abs(Date.parse(state.cursor.cursor) - (Date.now() - 300_000))).toBeLessThan(3_600_000);
    expect(state.cursor.backfill).toBeUndefined();
    clean = await tableSnapshot(db(), 'toggl');
  });

  it('a second run with nothing new asks time_entries once (since) and inserts nothing', async () => {
    const [saved] = await q(`SELECT cursor FROM bronze_state WHERE source = 'toggl' AND stream = 'time_entries'`);
    server.load(togglScenario());
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(result?.status).toBe('succeeded');
    expect(result?.inserted).toBe(0);
    // since = the saved cursor (when the backfill began, less 5 min of lag) less 1 min of overlap
    expect(Number(server.requests[5].query.since)).toBe(Math.floor(Date.parse(saved.cursor.cursor) / 1000) - 60);
    expect(server.requests.map((r) => r.path)).toEqual([...REFERENCE_PATHS, '/api/v9/me/time_entries']);
    expect(Object.keys(server.requests[5].query)).toEqual(['since']);
    expect(await tableSnapshot(db(), 'toggl')).toEqual(clean);
  });

  it('an account with no time entries saves its cursor after the backfill: the next run asks since once', async () => {
    const empty = () => { const s = togglScenario(); return { ...s, fixtures: s.fixtures.filter((f) => f.name !== 'window1' && f.name !== 'window2') }; };
    const fresh = await createTestDatabase(engine);
    try {
      server.load(empty());
      const first = await ingestCapturingLogs(fresh, fast, { env: env(server.url) });
      expect(first.result?.status).toBe('succeeded');
      expect(server.requests.filter((r) => r.query.start_date).length).toBeGreaterThan(2);
      server.load(empty());
      await ingestCapturingLogs(fresh, fast, { env: env(server.url) });
      expect(server.requests.map((r) => r.path)).toEqual([...REFERENCE_PATHS, '/api/v9/me/time_entries']);
      expect(Object.keys(server.requests[5].query)).toEqual(['since']);
    } finally {
      await fresh.close();
    }
  });

  it('changes since the cursor: a stopped entry and a deleted entry become new versions, never deletions', async () => {
    server.load(togglScenario({ sinceBody: sinceChanges() }));
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(result).toMatchObject({ status: 'succeeded', inserted: 3, newVersion: 2 });
    const rows = await q(`SELECT raw_id, version, raw_data->>'duration' AS duration, raw_data->>'server_deleted_at' AS deleted FROM bronze_toggl WHERE stream = 'time_entries' AND raw_id IN ('3712345605', '3712345602') ORDER BY raw_id, version`);
    expect(rows).toEqual([
      { raw_id: '3712345602', version: 1, duration: '12630', deleted: null },
      { raw_id: '3712345602', version: 2, duration: '12630', deleted: '2024-04-16T10:02:00+00:00' },
      { raw_id: '3712345605', version: 1, duration: '-1713250682', deleted: null },
      { raw_id: '3712345605', version: 2, duration: '9118', deleted: null },
    ]);
    expect(await countRows(db(), 'toggl')).toBe(clean.length + 3);
  });

  it('a 401 ends the run at once: clear advice, exit code 1, no retry, run marked failed', async () => {
    server.load({ ...togglScenario(), expectAuthorization: 'Basic somebody-else' });
    const { error, logs } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(error).toBeInstanceOf(BronzeError);
    expect((error as BronzeError).exitCode).toBe(ExitCode.failure);
    expect(error?.message).toMatch(/^toggl GET \/api\/v9\/me answered 401 \(credentials refused; not retried\).*; Toggl rejected the API token: check TOGGL_API_TOKEN/);
    expect(server.requests).toHaveLength(1);
    const [run] = await q(`SELECT status, error FROM bronze_runs WHERE source = 'toggl' ORDER BY started_at DESC LIMIT 1`);
    expect(run.status).toBe('failed');
    expect(run.error).toContain('answered 401 (credentials refused; not retried)');
    expect(run.error).toContain('Toggl rejected the API token');
    expect(logs).not.toContain(TOKEN);
  });

  it('the token appears in no row, cursor, run record or log', async () => {
    server.load(togglScenario());
    const { logs } = await ingestCapturingLogs(db(), fast, { env: env(server.url), fullRefresh: true });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(TOKEN);
    const encoded = Buffer.from(`${TOKEN}:api_token`).toString('base64');
    expect(logs).not.toContain(encoded);
    for (const table of ['bronze_toggl', 'bronze_runs', 'bronze_state']) {
      const [hit] = await q(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text LIKE '%${TOKEN}%' OR t::text LIKE '%${encoded}%'`);
      expect(hit.n, table).toBe(0);
    }
    const [me] = await q(`SELECT raw_data->>'api_token' AS token, api_endpoint, api_request_id FROM bronze_toggl WHERE stream = 'me'`);
    expect(me).toEqual({ token: '[REDACTED]', api_endpoint: '/api/v9/me', api_request_id: 'req-me' });
  });
});
