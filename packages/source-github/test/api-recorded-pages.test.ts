import { describeEachEngine, ingestCapturingLogs, startFixtureServer, type Fixture, type FixtureServer, type TestDatabase } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import github from '../src/index.js';
import { env, TOKEN } from './github-scenario.js';
import { answer, headerOf, recordedRequest, replayData } from './replay-data.js';

// More exchanges api.github.com really answered (test/fixtures/README.md, "Recorded exchanges"):
// a comment listing over three pages, the answers of a spent rate limit, and an /issues answer
// of 2012. Every count is taken here from the recorded bodies, never typed in.

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const fast = { ...github, rateLimit: undefined };

/** Issue #1136 of PyGithub/PyGithub (GET …/issues/1136), then its comments, 3 a page, Link to /repositories/3544490/…. */
const [ISSUE, ...COMMENT_PAGES] = replayData('pygithub-issue-1136-comments.txt');
/** GET /users/jacquev6: a 200 that spends the last request (X-RateLimit-Remaining: 0, no X-RateLimit-Reset), then the 403. */
const [LAST_REQUEST, RATE_LIMITED] = replayData('pygithub-rate-limit-exceeded.txt');
/** GET /issues as api.github.com answered it in 2012: plain issues carry `pull_request` with null links. */
const [ISSUES_2012] = replayData('pygithub-issues-2012.txt');
/** GET …/issues/28/comments as api.github.com answered it in 2012 (2 comments, no issue_url). */
const [COMMENTS_2012] = replayData('pygithub-issue-comments-2012.txt');

/** Rows of a stream among the ids of `among` (default: the elements), with how many hold exactly (jsonb =) the element of their id. */
async function rowsOf(db: TestDatabase, stream: string, elements: unknown[], among = elements as { id: unknown }[]) {
  const [r] = await db.withSession((s) =>
    s.query<{ rows: number; exact: number }>(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE b.raw_data = (SELECT e FROM jsonb_array_elements($2::jsonb) e WHERE e->>'id' = b.raw_id))::int AS exact
         FROM bronze_github b WHERE b.stream = $1 AND b.raw_id = ANY($3::text[])`,
      [stream, JSON.stringify(elements), among.map((e) => String(e.id))],
    ),
  );
  return r;
}

describeEachEngine('github against more recorded api.github.com exchanges', (db) => {
  it('a real comment listing of 3 pages (3+3+1, Link to /repositories/{id}/…): every page asked once, rows = recorded comments, raw_data as sent', async () => {
    const issue = JSON.parse(ISSUE.body) as { id: number; comments: number; pull_request?: unknown };
    const comments = COMMENT_PAGES.flatMap((x) => JSON.parse(x.body) as { id: number }[]);
    // The recording is whole: the issue announces as many comments as its pages hold.
    expect(comments.length).toBe(issue.comments);
    expect('pull_request' in issue).toBe(false);
    const [first, ...later] = COMMENT_PAGES;
    const fixtures: Fixture[] = [
      // The recorded issue as the one element of the source's /issues listing (its answer's headers).
      { name: 'issues', request: { path: '/issues', anyQuery: true }, response: { ...answer(ISSUE, server.url), text: `[${ISSUE.body}]` }, times: 'always' },
      // The first page answers the source's own request (per_page=100); the Link headers lead on where GitHub put the later pages.
      { name: 'comments page 1', request: { path: recordedRequest(first).path, query: { per_page: '100' } }, response: answer(first, server.url) },
      ...later.map((x, i): Fixture => ({ name: `comments page ${i + 2}`, request: recordedRequest(x), response: answer(x, server.url) })),
    ];
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures });
    const { result, error } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issues', 'issue_comments'] });
    expect(error?.message).toBeUndefined();
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    server.verify();
    expect(server.requests.filter((r) => r.path !== '/issues').map((r) => r.answeredBy)).toEqual(COMMENT_PAGES.map((_, i) => `comments page ${i + 1}`));
    expect(await rowsOf(db(), 'issue_comments', comments)).toEqual({ rows: comments.length, exact: comments.length });
    expect(await rowsOf(db(), 'issues', [issue])).toEqual({ rows: 1, exact: 1 });
  });

  it("GitHub's recorded 403 of a spent rate limit (X-RateLimit-Remaining: 0, no reset) ends the run naming the rate limit, not the token", async () => {
    expect([LAST_REQUEST.status, RATE_LIMITED.status, headerOf(RATE_LIMITED, 'x-ratelimit-remaining')]).toEqual([200, 403, '0']);
    const user = JSON.parse(LAST_REQUEST.body) as { login: string; id: number };
    server.load({
      fixtures: [
        { name: 'last request', request: { path: '/user' }, response: answer(LAST_REQUEST, server.url) },
        // The recording's 403 answered /users/jacquev6; a spent limit answers every endpoint alike.
        { name: 'rate limited', request: { path: `/users/${user.login}/events`, anyQuery: true }, response: answer(RATE_LIMITED, server.url) },
      ],
    });
    const { result, error } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['user', 'events'] });
    // A 403 ends the run at once (core: not retried without a wait to honour), one line naming why.
    expect(result).toBeUndefined();
    server.verify();
    const message = error?.message ?? '';
    expect(message).toContain('answered 403 (no request left in the quota, and no time given to wait for it; not retried)');
    expect(message).not.toContain('credentials refused');
    expect(message).toContain(JSON.parse(RATE_LIMITED.body).message);
    expect(message).toMatch(/GitHub's rate limit is spent \(X-RateLimit-Remaining: 0 of 60\)/);
    expect(message).not.toContain('\n');
    // Not the advice of a refused token: a new token would not help.
    expect(message).not.toContain('create a token');
    expect(await rowsOf(db(), 'user', [user])).toEqual({ rows: 1, exact: 1 });
  });

  it('a real /issues answer whose plain issues carry `pull_request: { html_url: null, … }`: they are issues, not pull requests', async () => {
    type Listed = { id: number; pull_request?: { html_url: string | null } | null };
    const listed = JSON.parse(ISSUES_2012.body) as Listed[];
    // Counted on the recording: a pull request is an element whose pull_request links somewhere.
    const pulls = listed.filter((i) => i.pull_request?.html_url);
    const plain = listed.filter((i) => !i.pull_request?.html_url);
    expect(listed.every((i) => i.pull_request !== undefined)).toBe(true);
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures: [{ name: 'issues 2012', request: { path: '/issues', anyQuery: true }, response: answer(ISSUES_2012, server.url), times: 'always' }] });
    // The recording lists newest first (its default), so it is read as a --since range (api-recorded.test.ts).
    const { result } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issues', 'pull_requests'], since: new Date('2012-01-01T00:00:00Z') });
    expect(result?.status, result?.errors.join('; ')).toBe('succeeded');
    // Among every listed id: each plain issue in issues, none in pull_requests.
    expect(await rowsOf(db(), 'issues', plain, listed)).toEqual({ rows: plain.length, exact: plain.length });
    expect(await rowsOf(db(), 'pull_requests', pulls, listed)).toEqual({ rows: pulls.length, exact: pulls.length });
  });

  it('comments of a real 2012 /issues answer, whose issues have no repository_url: asked for at the repository their url names', async () => {
    type Listed = { id: number; number: number; comments: number; url: string; repository_url?: string };
    const listed = JSON.parse(ISSUES_2012.body) as Listed[];
    const commented = listed.filter((i) => i.comments > 0);
    const comments = JSON.parse(COMMENTS_2012.body) as { id: number }[];
    // The 2012 shape: no issue names its repository in repository_url.
    expect(listed.every((i) => i.repository_url === undefined)).toBe(true);
    // The recording (another issue's comments, the same day) answers the one commented issue, which announces as many.
    expect(commented.map((i) => i.comments)).toEqual([comments.length]);
    const path = new URL(`${commented[0].url}/comments`).pathname;
    server.load({
      expectAuthorization: `Bearer ${TOKEN}`,
      fixtures: [
        { name: 'issues 2012', request: { path: '/issues', anyQuery: true }, response: answer(ISSUES_2012, server.url), times: 'always' },
        { name: 'comments 2012', request: { path, anyQuery: true }, response: answer(COMMENTS_2012, server.url) },
      ],
    });
    const { result, error } = await ingestCapturingLogs(db(), fast, { env: env(server.url), streams: ['issue_comments'], since: new Date('2012-01-01T00:00:00Z') });
    expect(error?.message).toBeUndefined();
    expect(result?.errors).toEqual([]);
    server.verify();
    expect(await rowsOf(db(), 'issue_comments', comments)).toEqual({ rows: comments.length, exact: comments.length });
    // Stored as sent, and marked: the 2012 comment lacks fields today's API always sends.
    const statuses = await db().withSession((s) =>
      s.query<{ validation_status: string; error_message: string }>(`SELECT validation_status, error_message FROM bronze_github WHERE stream = 'issue_comments' AND raw_id = ANY($1::text[])`, [
        comments.map((c) => String(c.id)),
      ]),
    );
    expect(statuses.map((r) => r.validation_status)).toEqual(comments.map(() => 'invalid'));
    expect(statuses[0].error_message).toMatch(/html_url|issue_url|author_association/);
  });
});
