import { defineApiStream, Type } from '@bronze/core';
import { gh, PER_PAGE } from '../client.js';
import { dateOf, Instant } from './fields.js';
import { RepoRecord } from './repos.js';

/** GET /user/starred as application/vnd.github.star+json: each star with when it was given. */
export const StarRecord = Type.Object({ starred_at: Instant(), repo: RepoRecord });
type Star = { starred_at: string; repo: { id: number | bigint } };

/**
 * Snapshot, conditional, newest star first (a new star changes the first page). raw_id is the
 * starred repository's id: starring it again later is a new version of the same row.
 */
export const starred = defineApiStream<Star>({
  name: 'starred',
  schema: StarRecord,
  id: (r) => r.repo.id,
  timestamp: (r) => dateOf(r.starred_at),
  request: () => gh('/user/starred', { sort: 'created', direction: 'desc', per_page: PER_PAGE }, 'application/vnd.github.star+json'),
  paging: { type: 'link' },
  conditional: true,
});
