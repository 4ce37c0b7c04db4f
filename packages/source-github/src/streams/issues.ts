import { defineApiStream, Type } from '@bronze/core';
import type { GitHubConfig } from '../config.js';
import { dateOf, Id, Instant, nullable, UserRef } from './fields.js';
import { issuesRequest, OVERLAP_MS } from './issue-listing.js';

export const IssueRecord = Type.Object({
  id: Id(), number: Type.Integer(), title: Type.String(), state: Type.String(), user: nullable(UserRef),
  repository_url: Type.String(), comments: Type.Integer(),
  created_at: Instant(), updated_at: Instant(), closed_at: nullable(Instant()),
});
export const PullRequestRecord = Type.Object({ ...IssueRecord.properties, pull_request: Type.Object({ url: Type.String() }) });
type Issue = { id: number | bigint; created_at: string; updated_at: string; pull_request?: { url?: unknown; html_url?: unknown } | null };

/**
 * A pull request's `pull_request` links to it. api.github.com once put `pull_request` on every
 * issue, with null links on plain ones (`{"html_url":null,"diff_url":null,"patch_url":null}`,
 * recorded 2012: test/api-recorded-pages.test.ts); the key alone filed them as pull requests.
 */
const isPullRequest = (i: Issue) => i.pull_request != null && (i.pull_request.url != null || i.pull_request.html_url != null);

/**
 * /issues lists pull requests too, each with a `pull_request` key: the two streams read the same
 * listing (each with its own cursor and ETag) and keep their half of it with `items`. Core's
 * paging counts each page as listed, so a page holding only pull requests does not end the
 * issues stream's listing (it did until 2026-12-01, losing every later page: test/api-recorded.test.ts).
 */
function issueListing(name: 'issues' | 'pull_requests', config: GitHubConfig) {
  const wanted = name === 'pull_requests';
  return defineApiStream<Issue>({
    name,
    schema: wanted ? PullRequestRecord : IssueRecord,
    id: (r) => r.id,
    timestamp: (r) => dateOf(r.created_at),
    request: ({ after }) => issuesRequest(config, after instanceof Date ? after : undefined),
    paging: { type: 'link' },
    items: (body: Issue[]) => body.filter((i) => isPullRequest(i) === wanted),
    incremental: { kind: 'by-field', field: (r) => r.updated_at, order: 'ascending', overlapMs: OVERLAP_MS },
    conditional: true,
  });
}

export const issues = (config: GitHubConfig) => issueListing('issues', config);
export const pullRequests = (config: GitHubConfig) => issueListing('pull_requests', config);
