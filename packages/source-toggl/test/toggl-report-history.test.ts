import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachEngine, ingestCapturingLogs, startFixtureServer, type Fixture, type FixtureServer } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import toggl from '../src/index.js';
import { env, REPORTS_SEARCH, togglScenario } from './toggl-scenario.js';

// Detailed reports the real Reports API v3 sent (toggl_rb's VCR cassettes, test/fixtures/README.md),
// served byte for byte with the X-Next-* headers of the recording. Counts are taken from the
// texts here, never typed in.

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...toggl, rateLimit: undefined };
const text = (file: string) => readFileSync(join(import.meta.dirname, 'fixtures', 'recorded-reports', file), 'utf8');
const PAGE_1 = text('search-dec-2023-page-1.json'); // rows 1–50, X-Next-* headers
const PAGE_2 = text('search-dec-2023-page-2.json'); // rows 51–100, the last page (full, no X-Next-*)
const OTHER = text('search-simple.json'); // 2 rows of April 2024, served as a second workspace's report
const SECOND_WORKSPACE = 7234568;
const OTHER_SEARCH = `/reports/api/v3/workspace/${SECOND_WORKSPACE}/search/time_entries`;
/** The first report window: a year of whole days from TOGGL_START_DATE, end_date inclusive. */
const START = '2023-12-01';
const FIRST_END = '2024-11-29';

/** Rows of a recorded report, counted on the text (`"row_number":`) and parsed; the two agree. */
function rowsOf(body: string): { time_entries: { id: number }[] }[] {
  const rows = JSON.parse(body) as { time_entries: { id: number }[] }[];
  expect(body.split('"row_number":').length - 1).toBe(rows.length);
  return rows;
}

function scenario() {
  const base = togglScenario();
  const workspaces = JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'workspaces.json'), 'utf8')) as Record<string, unknown>[];
  // A second workspace (made up: the first one's object with another id and name).
  const two = [...workspaces, { ...workspaces[0], id: SECOND_WORKSPACE, name: 'Side projects' }];
  const report = (name: string, path: string, body: Fixture['request']['body'], response: Fixture['response']): Fixture => ({ name, request: { method: 'POST', path, body }, response, times: 'always' });
  const fixtures: Fixture[] = [
    { name: 'two workspaces', request: { path: '/api/v9/me/workspaces' }, response: { body: two }, times: 'always' },
    report('page 1', REPORTS_SEARCH, { start_date: START, end_date: FIRST_END, first_row_number: { absent: true } }, {
      text: PAGE_1,
      headers: { 'x-next-id': '3405903924', 'x-next-row-number': '51', 'x-next-timestamp': '1702202400', 'x-page-size': '50' },
    }),
    report('page 2', REPORTS_SEARCH, { start_date: START, first_row_number: '51', first_id: '3405903924', first_timestamp: '1702202400' }, { text: PAGE_2, headers: { 'x-page-size': '50' } }),
    report('other workspace', OTHER_SEARCH, { start_date: START, user_ids: '[6382910]', first_row_number: { absent: true } }, { text: OTHER }),
    report('other workspace, later windows', OTHER_SEARCH, { start_date: '*' }, { body: [] }),
  ];
  return { ...base, fixtures: [...fixtures, ...base.fixtures] };
}

describeEachEngine('toggl: the history through the Reports API', (db) => {
  it('every row of every page of every workspace is stored once, exactly as sent; the next run asks no report', async () => {
    server.load(scenario());
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url, { TOGGL_START_DATE: START }) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    const expected = [...rowsOf(PAGE_1), ...rowsOf(PAGE_2), ...rowsOf(OTHER)];
    const rows = await db().withSession((s) =>
      s.query<{ raw_id: string; validation_status: string; exact: boolean; api_endpoint: string }>(
        `SELECT b.raw_id, b.validation_status, b.api_endpoint,
                b.raw_data = (SELECT e FROM jsonb_array_elements($1::jsonb) e WHERE e->'time_entries'->0->>'id' = b.raw_id) AS exact
           FROM bronze_toggl b WHERE b.stream = 'report_time_entries' ORDER BY b.raw_id`,
        [`[${PAGE_1.slice(1, -1)},${PAGE_2.slice(1, -1)},${OTHER.slice(1, -1)}]`],
      ),
    );
    expect(rows.map((r) => r.raw_id).sort()).toEqual(expected.map((r) => String(r.time_entries[0].id)).sort());
    expect(rows.every((r) => r.validation_status === 'valid' && r.exact)).toBe(true);
    expect(rows.filter((r) => r.api_endpoint.startsWith(OTHER_SEARCH))).toHaveLength(rowsOf(OTHER).length);

    const searches = server.requests.filter((r) => r.path.includes('/search/'));
    for (const s of searches) expect(s.body).toMatchObject({ user_ids: [6382910], grouped: false, page_size: 50 });
    // Windows of a year of whole days, end_date inclusive: the next window starts the day after.
    expect([...new Set(searches.map((s) => `${(s.body as any).start_date}..${(s.body as any).end_date}`))].slice(0, 2)).toEqual([`${START}..${FIRST_END}`, '2024-11-30..2025-11-29']);

    server.requests.length = 0;
    const { result: next } = await ingestCapturingLogs(db(), fast, { env: env(server.url, { TOGGL_START_DATE: START }) });
    expect(next?.status).toBe('succeeded');
    expect(server.requests.filter((r) => r.path.includes('/reports/'))).toHaveLength(0);
    expect(await db().withSession((s) => s.query(`SELECT 1 FROM bronze_toggl WHERE stream = 'report_time_entries' AND version > 1`))).toHaveLength(0);
  });
});
