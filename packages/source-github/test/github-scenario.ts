import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Fixture, QueryMatcher, Scenario } from '@bronze/testkit';

export const TOKEN = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'; // the shape of a classic token, not a real one
export const LOGIN = 'octocat';
export const REPO = '/repos/octokit-fixture-org/tmp-scenario-paginate-issues-20220719043836917-izyoe';

export const fixture = (file: string): any => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', file), 'utf8'));
export const ISSUE_PAGES = [fixture('issues-page-1.json'), fixture('issues-page-2.json'), fixture('issues-page-3.json')];

export function env(url: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { GITHUB_TOKEN: TOKEN, GITHUB_BASE_URL: url, ...extra };
}

/** GitHub's ETags are weak validators over the body. */
export const etagOf = (body: unknown) => `W/"${createHash('sha256').update(JSON.stringify(body)).digest('hex')}"`;

/** Headers GitHub puts on every answer (a 304 included). */
export function commonHeaders(o: { remaining?: number; resetInS?: number; scopes?: string } = {}): Record<string, string> {
  return {
    'x-github-api-version-selected': '2022-11-28',
    'x-github-media-type': 'github.v3; format=json',
    'x-oauth-scopes': o.scopes ?? 'gist, notifications, read:user, repo',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(o.remaining ?? 4987),
    'x-ratelimit-used': String(5000 - (o.remaining ?? 4987)),
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + (o.resetInS ?? 3600)),
    'x-ratelimit-resource': 'core',
    'cache-control': 'private, max-age=60, s-maxage=60',
    vary: 'Accept, Authorization, Cookie, X-GitHub-OTP,Accept-Encoding, Accept, X-Requested-With',
  };
}

interface Variant {
  /** Query parameters this answer is for (others may be present). */
  when?: Record<string, QueryMatcher>;
  pages: unknown[][];
  /** The query GitHub repeats in its Link URLs (page added), as in the request. */
  link?: string;
  /** Names this variant's fixtures, e.g. "since". */
  label?: string;
}

/**
 * One listing as GitHub serves it: per variant, a 304 to the If-None-Match of its first page,
 * the pages with their ETag and a `Link: <…&page=N>; rel="next"` header (absolute, on `url`).
 */
export function listing(url: string, name: string, path: string, variants: Variant[], headers: Record<string, string> = {}): Fixture[] {
  const out: Fixture[] = [];
  for (const variant of variants) {
    const when = variant.when ?? {};
    const label = `${name}${variant.label ? ` ${variant.label}` : ''}`;
    const first = variant.pages[0] ?? [];
    out.push({ name: `${label} 304`, request: { path, query: when, anyQuery: true, headers: { 'if-none-match': etagOf(first) } }, response: { status: 304, headers: { ...commonHeaders(), ...headers, etag: etagOf(first) } }, times: 'always' });
    const pages = variant.pages.map((body, i) => {
      const at = (page: number) => `${url}${path}?${variant.link ?? 'per_page=100'}&page=${page}`;
      const next = i + 1 < variant.pages.length ? `<${at(i + 2)}>; rel="next", <${at(variant.pages.length)}>; rel="last"` : undefined;
      const fx: Fixture = {
        name: `${label} page ${i + 1}`,
        request: { path, query: i === 0 ? when : { page: String(i + 1) }, anyQuery: true },
        response: { body, headers: { ...commonHeaders(), ...headers, etag: etagOf(body), 'x-github-request-id': `0685:5DDC:${label.replace(/ /g, '-')}:${i + 1}`, ...(next ? { link: next } : {}) } },
        times: 'always',
      };
      return fx;
    });
    // Later pages match by `page`; the first page by its query, after them.
    out.push(...pages.slice(1), pages[0]);
  }
  return out;
}

const since = { since: { regex: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$' } };
const noSince = (pages: unknown[][], sincePages: unknown[][], link?: string): Variant[] => [{ when: since, pages: sincePages, label: 'since' }, { pages, link }];

/**
 * The account: the docs' octocat user, two real repositories (octokit/fixtures recordings), 13
 * real issues on 3 pages (3 of them pull requests), comments on 3 of them, events, a gist and a
 * notification. With `since` GitHub answers what changed at or after it: the overlap's last
 * record when nothing changed.
 */
export function githubScenario(url: string, o: { notifications?: boolean; faults?: Fixture[]; extra?: Fixture[] } = {}): Scenario {
  const issues = ISSUE_PAGES;
  const lastIssue = issues.at(-1)!.at(-1);
  const gists = fixture('gists.json');
  const notifications = fixture('notifications.json');
  return {
    expectAuthorization: `Bearer ${TOKEN}`,
    fixtures: [
      ...(o.faults ?? []),
      ...listing(url, 'user', '/user', [{ pages: [fixture('user.json')] }], { 'x-accepted-oauth-scopes': '' }),
      ...listing(url, 'repos', '/user/repos', [{ when: { affiliation: 'owner,collaborator,organization_member', sort: 'updated', direction: 'desc', per_page: '100' }, pages: [fixture('repos.json')] }], { 'x-accepted-oauth-scopes': '' }),
      ...listing(url, 'starred', '/user/starred', [{ pages: [fixture('starred.json')] }], { 'x-github-media-type': 'github.v3; param=star; format=json' }),
      ...listing(url, 'events', `/users/${LOGIN}/events`, [{ pages: [fixture('events.json')] }], { 'x-poll-interval': '60' }),
      ...listing(url, 'issues', '/issues', noSince(issues, [[lastIssue]], 'filter=all&state=all&sort=updated&direction=asc&per_page=100'), { 'x-accepted-oauth-scopes': 'repo' }),
      ...listing(url, 'comments 2', `${REPO}/issues/2/comments`, [{ pages: [fixture('comments-issue-2.json')] }]),
      ...listing(url, 'comments 4', `${REPO}/issues/4/comments`, [{ pages: [fixture('comments-issue-4.json')] }]),
      ...listing(url, 'comments 13', `${REPO}/issues/13/comments`, [{ pages: [fixture('comments-issue-13.json')] }]),
      ...listing(url, 'gists', '/gists', noSince([gists], [gists])),
      ...(o.notifications ? listing(url, 'notifications', '/notifications', noSince([notifications], [notifications]), { 'x-poll-interval': '60', 'x-accepted-oauth-scopes': 'notifications, repo' }) : []),
      ...(o.extra ?? []),
    ],
  };
}

/** Elements per stream, counted from the fixture files themselves. */
export function expectedCounts(o: { notifications?: boolean } = {}): Record<string, number> {
  const all = ISSUE_PAGES.flat();
  const prs = all.filter((i) => i.pull_request).length;
  const comments = all.filter((i) => i.comments > 0).reduce((n, i) => n + fixture(`comments-issue-${i.number}.json`).length, 0);
  return {
    user: 1, repos: fixture('repos.json').length, starred: fixture('starred.json').length, events: fixture('events.json').length,
    issues: all.length - prs, pull_requests: prs, issue_comments: comments, gists: fixture('gists.json').length,
    ...(o.notifications ? { notifications: fixture('notifications.json').length } : {}),
  };
}
