import { countRows, createTestDatabase, describeOneEngine, startFixtureServer, tableSnapshot, type FixtureServer, ingestCapturingLogs } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import github from '../src/index.js';
import { env, expectedCounts, githubScenario, ISSUE_PAGES, listing, LOGIN, TOKEN } from './github-scenario.js';

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...github, rateLimit: undefined };

describeOneEngine('github runs', (db, engine) => {
  const q = (sql: string) => db().withSession((s) => s.query<Record<string, any>>(sql));
  let clean: string[] = [];

  it('first run: every stream, rows = elements per stream, /issues over its 3 Link pages', async () => {
    server.load(githubScenario(server.url));
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    const rows = await q(`SELECT stream, count(*)::int AS n FROM bronze_github GROUP BY stream`);
    expect(Object.fromEntries(rows.map((r) => [r.stream, r.n]))).toEqual(expectedCounts());
    // Three streams read /issues (issues, pull_requests, the comments' listing): pages 1, 2, 3 each.
    const pages = server.requests.filter((r) => r.path === '/issues').map((r) => r.query.page ?? '1');
    expect(pages).toEqual(['1', '2', '3', '1', '2', '3', '1', '2', '3']);
    expect(server.requests.find((r) => r.path === '/issues')?.query).toEqual({ filter: 'all', state: 'all', sort: 'updated', direction: 'asc', per_page: '100' });
    for (const r of server.requests) {
      expect(r.headers['x-github-api-version'], r.path).toBe('2022-11-28');
      expect(r.headers.accept, r.path).toBe(r.path === '/user/starred' ? 'application/vnd.github.star+json' : 'application/vnd.github+json');
      expect(r.headers['if-none-match'], r.path).toBeUndefined();
    }
    const [pr] = await q(`SELECT raw_id, api_endpoint, api_response_code, api_request_id, api_version, source_timestamp FROM bronze_github WHERE stream = 'pull_requests' AND raw_data->>'number' = '4'`);
    expect(pr).toMatchObject({ raw_id: '1308968769', api_endpoint: '/issues?filter=all&state=all&sort=updated&direction=asc&per_page=100', api_response_code: 200, api_request_id: '0685:5DDC:issues:1', api_version: '2022-11-28' });
    expect(new Date(pr.source_timestamp).toISOString()).toBe('2022-07-19T04:38:49.000Z');
    const invalid = await q(`SELECT stream, raw_id, error_message FROM bronze_github WHERE validation_status <> 'valid'`);
    expect(invalid).toEqual([]);
    const state = Object.fromEntries((await q(`SELECT stream, cursor FROM bronze_state WHERE source = 'github'`)).map((r) => [r.stream, r.cursor]));
    const lastIssue = ISSUE_PAGES.at(-1)!.at(-1);
    expect(state.issues).toMatchObject({ cursor: new Date(lastIssue.updated_at).toISOString(), etags: { 'GET /issues?direction=asc&filter=all&per_page=100&sort=updated&state=all': expect.stringMatching(/^W\/"/) } });
    expect(state.issue_comments.cursor).toBe(new Date(lastIssue.updated_at).toISOString());
    expect(state.events).toMatchObject({ cursor: '22249084964', login: LOGIN });
    expect(Object.keys(state.user.etags)).toEqual(['GET /user']);
    clean = await tableSnapshot(db(), 'github');
  });

  it('once the cursors are set, a re-run makes only conditional requests, all answered 304, and adds 0 rows', async () => {
    server.load(githubScenario(server.url));
    const second = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(second.result).toMatchObject({ status: 'succeeded', inserted: 0 });
    // The first `since` requests of the cursors have no validator yet; the rest are 304 already.
    expect(server.requests.filter((r) => r.status === 304).map((r) => r.path)).toEqual(['/user', '/user/repos', '/user/starred', `/users/${LOGIN}/events`]);

    server.load(githubScenario(server.url));
    const third = await ingestCapturingLogs(db(), fast, { env: env(server.url) });
    expect(third.result).toMatchObject({ status: 'succeeded', seen: 0, inserted: 0 });
    expect(server.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/user 304', '/user/repos 304', '/user/starred 304', `/users/${LOGIN}/events 304`, '/issues 304', '/issues 304', '/issues 304', '/gists 304',
    ]);
    expect(server.requests.every((r) => r.headers['if-none-match']?.startsWith('W/"'))).toBe(true);
    expect(third.result?.notes).toEqual(['8 conditional requests, 8 answered 304 Not Modified']);
    expect(await tableSnapshot(db(), 'github')).toEqual(clean);
  });

  it('a page of /issues holding only pull requests (or only issues) does not end the other stream\'s listing: every issue and pull request of every page', async () => {
    // The same 13 issues in the same order (updated_at ascending), paged where the kinds change:
    // the issues before the first pull request, that pull request alone, then the rest.
    const all = ISSUE_PAGES.flat();
    const first = all.findIndex((i) => i.pull_request);
    const pages = [all.slice(0, first), all.slice(first, first + 1), all.slice(first + 1)];
    expect(pages.map((p) => p.filter((i) => i.pull_request).length)).toEqual([0, 1, pages[2].filter((i) => i.pull_request).length]);
    const scenario = githubScenario(server.url, { faults: listing(server.url, 'kinds apart', '/issues', [{ pages, link: 'filter=all&state=all&sort=updated&direction=asc&per_page=100' }]) });
    server.load(scenario);
    const target = await createTestDatabase(engine);
    try {
      const { result } = await ingestCapturingLogs(target, fast, { env: env(server.url), streams: ['issues', 'pull_requests'] });
      expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
      const want = expectedCounts();
      expect({ issues: await countRows(target, 'github', `stream = 'issues'`), pull_requests: await countRows(target, 'github', `stream = 'pull_requests'`) }).toEqual({ issues: want.issues, pull_requests: want.pull_requests });
      expect(server.requests.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3', '1', '2', '3']);
    } finally {
      await target.close();
    }
  });

  it('GitHub ids past 2^53 are stored exactly, as raw_id and in raw_data', async () => {
    const big = '9007199254740993'; // 2^53 + 1: a double would make it ...992
    const text = JSON.stringify(ISSUE_PAGES[2].slice(-1)).replace('"id":1308969059,', `"id":${big},`);
    const scenario = githubScenario(server.url);
    scenario.fixtures.unshift({ name: 'big id', request: { path: '/issues', anyQuery: true }, response: { text, headers: { etag: 'W/"big"' } } });
    server.load(scenario);
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issues'], fullRefresh: true });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    const [row] = await q(`SELECT raw_id, raw_data->>'id' AS id, raw_data->'id' = '${big}'::jsonb AS exact, validation_status FROM bronze_github WHERE stream = 'issues' AND raw_id = '${big}'`);
    expect(row).toEqual({ raw_id: big, id: big, exact: true, validation_status: 'valid' });
  });

  it('the token appears in no row, cursor, run record or log', async () => {
    server.load(githubScenario(server.url));
    const { logs } = await ingestCapturingLogs(db(), fast, { env: env(server.url), fullRefresh: true });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(TOKEN);
    for (const table of ['bronze_github', 'bronze_runs', 'bronze_state']) {
      const [hit] = await q(`SELECT count(*)::int AS n FROM ${table} t WHERE t::text LIKE '%${TOKEN}%'`);
      expect(hit.n, table).toBe(0);
    }
  });
});
