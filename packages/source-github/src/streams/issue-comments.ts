import { checkpoint, Type, withConditionalRequests, type ReadArgs, type SourceContext, type Stream } from '@bronze/core';
import type { GitHubConfig } from '../config.js';
import { gh, isoSecond, PER_PAGE } from '../client.js';
import { dateOf, Id, Instant, nullable, UserRef } from './fields.js';
import { issuesRequest, OVERLAP_MS } from './issue-listing.js';

/** GET /repos/{owner}/{repo}/issues/{number}/comments: comments on issues and pull requests. */
export const CommentRecord = Type.Object({
  id: Id(), html_url: Type.String(), issue_url: Type.String(), user: nullable(UserRef),
  created_at: Instant(), updated_at: Instant(), author_association: Type.String(),
});
type Comment = { id: number | bigint; created_at: string };
/** GitHub has always sent `url`; `repository_url` came after 2012 (that API gave `repository: { url }`). */
type Issue = { number: number; comments: number; updated_at: string; url: string; repository_url?: string; repository?: { url?: string } | null };
interface CommentsState {
  /** The updated_at of the last issue whose comments were all read. */
  cursor?: string;
}

/** owner/repo from the first of the issue's links that names them. */
function repositoryOf(issue: Issue): string {
  for (const link of [issue.repository_url, issue.repository?.url, issue.url]) {
    if (typeof link !== 'string' || !URL.canParse(link)) continue;
    const repo = /\/repos\/([^/]+\/[^/]+?)(?:\/issues\/\d+)?\/?$/.exec(new URL(link).pathname);
    if (repo) return repo[1];
  }
  throw new Error(
    `github.issue_comments: issue ${issue.number} names no repository as /repos/{owner}/{repo} in repository_url, repository.url or url ` +
      `(${JSON.stringify({ repository_url: issue.repository_url, url: issue.url })}), so its comments cannot be asked for`,
  );
}

/** The comments listing of an issue, below GITHUB_BASE_URL (GitHub Enterprise's /api/v3 included). */
function commentsRequest(issue: Issue, since: Date | undefined) {
  return gh(`/repos/${repositoryOf(issue)}/issues/${issue.number}/comments`, { per_page: PER_PAGE, since: since && isoSecond(since) });
}

/**
 * Comments on the issues and pull requests of /issues, since the cursor. A new or edited comment
 * moves its issue's updated_at, so the issues updated since the cursor (the /issues listing,
 * conditional: a 304 when nothing changed) are the only ones whose comments are asked for, each
 * with the same `since`. The cursor follows the issues, oldest update first, committed after
 * each issue's comments. Comment listings are not conditional: a validator per issue would
 * bloat the state, and `since` keeps them short.
 */
export function issueComments(config: GitHubConfig): Stream<Comment, CommentsState> {
  async function* read(args: ReadArgs<CommentsState>, ctx: SourceContext, plain: SourceContext['http']) {
    const since = args.since ?? (args.state?.cursor ? new Date(Date.parse(args.state.cursor) - OVERLAP_MS) : undefined);
    let cursor = args.state?.cursor;
    for await (const { record: issue } of ctx.http.records<Issue>(issuesRequest(config, since), { paging: { type: 'link' } })) {
      if (issue.comments > 0) yield* plain.records<Comment>(commentsRequest(issue, since), { paging: { type: 'link' } });
      if (ctx.signal.aborted || args.since) continue;
      const at = new Date(issue.updated_at).toISOString();
      if (!cursor || at > cursor) yield checkpoint<CommentsState>({ cursor: (cursor = at) });
    }
  }
  return {
    name: 'issue_comments',
    schema: CommentRecord,
    id: (r) => r.id,
    timestamp: (r) => dateOf(r.created_at),
    incremental: 'by-field',
    read: (args, ctx) => withConditionalRequests<CommentsState>((a, c) => read(a, c, ctx.http))(args, ctx) as AsyncIterable<never>,
  };
}
