import type { GitHubConfig } from '../config.js';
import { gh, isoSecond, PER_PAGE } from '../client.js';

/**
 * GET /issues: issues and pull requests across the user's repositories (GITHUB_ISSUE_FILTER,
 * default all), oldest update first, so the cursor commits with every batch; `since` on
 * updated_at.
 */
export const issuesRequest = (config: GitHubConfig, since?: Date) =>
  gh('/issues', { filter: config.issueFilter, state: 'all', sort: 'updated', direction: 'asc', per_page: PER_PAGE, since: since && isoSecond(since) });

/** Re-read one second before the cursor: GitHub's `since` is to the second. */
export const OVERLAP_MS = 1000;
