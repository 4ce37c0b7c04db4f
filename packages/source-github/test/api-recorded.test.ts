import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEachEngine, ingestCapturingLogs, startFixtureServer, type Fixture, type FixtureServer, type TestDatabase } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import github from '../src/index.js';
import { env, TOKEN } from './github-scenario.js';
import { replayData } from './replay-data.js';

// Exchanges GitHub really answered (test/fixtures/README.md, "Recorded exchanges"), served with
// their recorded statuses, headers and bodies. Only the origin of the URLs in Link headers is
// mapped (https://api.github.com → the fixture server), and the headers about the recorded
// transfer (Content-Length, Transfer-Encoding, Connection, and Content-Encoding: the recordings
// hold the decoded body) are left to the fixture server, which sends the body itself.
const DIR = join(import.meta.dirname, 'fixtures', 'recorded');
const ORIGIN = 'https://api.github.com';
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection', 'content-encoding']);

/** octokit/fixtures' nock recording of a 13-issue listing, 3 per page: 5 pages, Link on /repositories/{id}/issues. */
interface NockExchange { method: string; path: string; status: number; response: unknown[]; rawHeaders: string[] }
const PAGES: NockExchange[] = JSON.parse(readFileSync(join(DIR, 'octokit-paginate-issues.json'), 'utf8'));
const headerOf = (x: NockExchange, name: string) => {
  const i = x.rawHeaders.findIndex((h, n) => n % 2 === 0 && h.toLowerCase() === name);
  return i < 0 ? undefined : x.rawHeaders[i + 1];
};

const BAD_GATEWAY = replayData('pygithub-retry-502.txt');
const [USER] = replayData('pygithub-user.txt');
const [REPOS] = replayData('pygithub-user-repos.txt');
const [GISTS, GISTS_SINCE] = replayData('pygithub-gists.txt');
const [NOTIFICATIONS] = replayData('pygithub-notifications.txt');

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...github, rateLimit: undefined };
/** What the recorded /user… test leaves for the run after it (same database). */
const THIRD_RUN: { fixtures: Fixture[]; options: Parameters<typeof ingestCapturingLogs>[2] } = { fixtures: [], options: { env: {} } };
/** Before every recorded issue (created 2022-07-19). */
const SINCE = new Date('2022-07-01T00:00:00Z');

/** The recorded headers as sent, Link's URLs on the fixture server. */
function served(raw: [string, string][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of raw) if (!HOP_BY_HOP.has(k.toLowerCase()) && k.toLowerCase() !== 'status') out[k.toLowerCase()] = k.toLowerCase() === 'link' ? v.replaceAll(ORIGIN, server.url) : v;
  return out;
}
const pairs = (flat: string[]) => Array.from({ length: flat.length / 2 }, (_, k) => [flat[2 * k], flat[2 * k + 1]] as [string, string]);

/**
 * The recorded listing as the source's `/issues` request: its first page answers /issues (the
 * recording asked /repos/{owner}/{repo}/issues?per_page=3, a listing of the same issue objects),
 * its Link headers lead to the next pages where GitHub put them, /repositories/515435940/issues.
 * The recording lists newest first (that endpoint's default), not by update ascending as the
 * source asks, so it is read as a `--since` range (SINCE): a range has no cursor, so core does
 * not need the order (a cursor run refuses the listing: "not in ascending order").
 */
function recordedListing(): Fixture[] {
  return PAGES.map((x, i) => {
    const url = new URL(x.path, ORIGIN);
    const response = { status: x.status, headers: served(pairs(x.rawHeaders)), text: JSON.stringify(x.response) };
    if (i === 0) return { name: 'recorded page 1', request: { path: '/issues', query: { filter: 'all', state: 'all', sort: 'updated', direction: 'asc', per_page: '100', since: '2022-07-01T00:00:00Z' } }, response, times: 'always' };
    return { name: `recorded page ${i + 1}`, request: { path: url.pathname, query: Object.fromEntries(url.searchParams) }, response, times: 'always' };
  });
}

// Counted here, from the recorded bodies: what must be stored.
const ELEMENTS = PAGES.flatMap((x) => x.response as { id: number; comments: number; pull_request?: unknown }[]);
const EXPECTED = {
  issues: ELEMENTS.filter((i) => !('pull_request' in i)).length,
  pull_requests: ELEMENTS.filter((i) => 'pull_request' in i).length,
  issue_comments: ELEMENTS.reduce((n, i) => n + i.comments, 0),
};

async function stored(db: TestDatabase) {
  const rows = await db.withSession((s) =>
    s.query<{ stream: string; rows: number; exact: number }>(
      `SELECT b.stream, count(*)::int AS rows,
              count(*) FILTER (WHERE b.raw_data = (SELECT e FROM jsonb_array_elements($1::jsonb) e WHERE e->>'id' = b.raw_id))::int AS exact
         FROM bronze_github b GROUP BY b.stream`,
      [JSON.stringify(ELEMENTS)],
    ),
  );
  return Object.fromEntries(rows.map((r) => [r.stream, r]));
}

describeEachEngine('github against recorded api.github.com exchanges', (db) => {
  it('a real 5-page issue listing (Link to /repositories/{id}/issues): each of the 3 streams reading /issues follows every page; rows = recorded elements, raw_data as sent', async () => {
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures: recordedListing() });
    const { result, error } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issues', 'pull_requests', 'issue_comments'], since: SINCE });
    expect(error?.message).toBeUndefined();
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    expect(EXPECTED.issue_comments).toBe(0); // no comment listing is recorded: none may be asked for
    const rows = await stored(db());
    expect(rows.issues).toEqual({ stream: 'issues', rows: EXPECTED.issues, exact: EXPECTED.issues });
    expect(rows.pull_requests?.rows ?? 0).toBe(EXPECTED.pull_requests);
    expect(rows.issue_comments?.rows ?? 0).toBe(EXPECTED.issue_comments);
    // Each stream asks the whole listing: page 1 at /issues, pages 2 to 5 where the Link headers point.
    const asked = server.requests.map((r) => (r.path === '/issues' ? '1' : `${r.path} ${r.query.page}`));
    const listing = ['1', ...PAGES.slice(1).map((x) => `${new URL(x.path, ORIGIN).pathname} ${new URL(x.path, ORIGIN).searchParams.get('page')}`)];
    expect(asked).toEqual([...listing, ...listing, ...listing]);
    expect(server.requests.every((r) => r.status === 200)).toBe(true);
    // The api_* facts of each row are those of the page it came on.
    const facts = await db().withSession((s) => s.query<{ raw_id: string; api_request_id: string; api_response_code: number }>(`SELECT raw_id, api_request_id, api_response_code FROM bronze_github WHERE stream = 'issues'`));
    const requestIdOf = new Map(PAGES.flatMap((x) => (x.response as { id: number }[]).map((i) => [String(i.id), headerOf(x, 'x-github-request-id')])));
    for (const f of facts) expect(f, f.raw_id).toMatchObject({ api_request_id: requestIdOf.get(f.raw_id), api_response_code: 200 });
  });

  it("GitHub's recorded 502 Bad Gateway answers before the listing are retried, then every element is stored once", async () => {
    expect(BAD_GATEWAY.map((x) => `${x.verb} ${x.status}`)).toEqual(['GET 502', 'GET 502', 'GET 502']);
    const errors: Fixture[] = BAD_GATEWAY.map((x, i) => ({ name: `recorded 502 #${i + 1}`, request: { path: '/issues', anyQuery: true }, response: { status: x.status, headers: served(x.headers), text: x.body } }));
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures: [...errors, ...recordedListing()] });
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issues'], since: SINCE });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    expect(server.requests.map((r) => r.status)).toEqual([502, 502, 502, ...PAGES.map((x) => x.status)]);
    const rows = await stored(db());
    expect(rows.issues).toEqual({ stream: 'issues', rows: EXPECTED.issues, exact: EXPECTED.issues });
  }, 30_000);

  it('recorded /user, /user/repos, /gists (then with since) and /notifications: rows = elements, raw_data as sent; the next runs send the recorded validators back', async () => {
    const answer = (x: (typeof BAD_GATEWAY)[number]) => ({ status: x.status, headers: served(x.headers), text: x.body });
    const since = { regex: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$' };
    const fixtures: Fixture[] = [
      { name: 'recorded /user', request: { path: '/user' }, response: answer(USER), times: 'always' },
      { name: 'recorded /user/repos', request: { path: '/user/repos', anyQuery: true }, response: answer(REPOS), times: 'always' },
      { name: 'recorded /gists?since', request: { path: '/gists', query: { per_page: '100', since } }, response: answer(GISTS_SINCE), times: 'always' },
      { name: 'recorded /gists', request: { path: '/gists', query: { per_page: '100' } }, response: answer(GISTS), times: 'always' },
      { name: 'recorded /notifications', request: { path: '/notifications', anyQuery: true }, response: answer(NOTIFICATIONS), times: 'always' },
    ];
    const streams = ['user', 'repos', 'gists', 'notifications'];
    const o = { env: env(server.url, { GITHUB_NOTIFICATIONS: 'on' }), streams };
    const bodies = { user: [JSON.parse(USER.body)], repos: JSON.parse(REPOS.body), gists: JSON.parse(GISTS.body), notifications: JSON.parse(NOTIFICATIONS.body) } as Record<string, { id: unknown }[]>;
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures });
    const first = await ingestCapturingLogs(db(), fast, o);
    expect(first.result?.status, first.error?.message ?? first.result?.errors.join('; ')).toBe('succeeded');
    for (const stream of streams) {
      const [r] = await db().withSession((s) =>
        s.query<{ rows: number; exact: number; valid: number }>(
          `SELECT count(*)::int AS rows, count(*) FILTER (WHERE b.raw_data = (SELECT e FROM jsonb_array_elements($2::jsonb) e WHERE e->>'id' = b.raw_id))::int AS exact,
                  count(*) FILTER (WHERE b.validation_status = 'valid')::int AS valid
             FROM bronze_github b WHERE b.stream = $1`,
          [stream, JSON.stringify(bodies[stream])],
        ),
      );
      expect(r, stream).toEqual({ rows: bodies[stream].length, exact: bodies[stream].length, valid: bodies[stream].length });
    }
    // The second run: /user and /user/repos ask with the recorded ETags (a weak and a strong one);
    // the by-field streams ask with `since` (a new request, no validator yet).
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures });
    const second = await ingestCapturingLogs(db(), fast, o);
    expect(second.result).toMatchObject({ status: 'succeeded', inserted: 0 });
    const etag = (x: (typeof BAD_GATEWAY)[number]) => x.headers.find(([k]) => k.toLowerCase() === 'etag')?.[1];
    expect(server.requests.map((r) => [r.path, r.query.since !== undefined, r.headers['if-none-match'] ?? r.headers['if-modified-since']])).toEqual([
      ['/user', false, etag(USER)], ['/user/repos', false, etag(REPOS)], ['/gists', true, undefined], ['/notifications', true, undefined],
    ]);
    expect(server.requests.map((r) => r.answeredBy)).toContain('recorded /gists?since');
    THIRD_RUN.fixtures = fixtures;
    THIRD_RUN.options = o;
  });

  // GitHub's recorded /notifications answer carries `ETag: W/""` (an empty entity-tag) beside a
  // real `Last-Modified`. Sent back as `If-None-Match: W/""`, a server that always answers that
  // tag would match it for ever; core's validatorOf takes an empty tag as none and falls back to
  // Last-Modified (If-Modified-Since), the validator GitHub documents for polling notifications.
  it('the third run asks /notifications with If-Modified-Since, not the empty ETag W/"" GitHub sent', async () => {
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures: THIRD_RUN.fixtures });
    const third = await ingestCapturingLogs(db(), fast, { ...THIRD_RUN.options, streams: ['notifications'] });
    expect(third.result?.status).toBe('succeeded');
    const [asked] = server.requests;
    const lastModified = NOTIFICATIONS.headers.find(([k]) => k.toLowerCase() === 'last-modified')?.[1];
    expect({ 'if-none-match': asked.headers['if-none-match'], 'if-modified-since': asked.headers['if-modified-since'] }).toEqual({ 'if-none-match': undefined, 'if-modified-since': lastModified });
  });
});
