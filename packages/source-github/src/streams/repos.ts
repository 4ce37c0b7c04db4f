import { defineApiStream, Type } from '@bronze/core';
import { gh, PER_PAGE } from '../client.js';
import { dateOf, Id, Instant, nullable, UserRef } from './fields.js';

/** GET /user/repos: repositories the user owns, collaborates on or sees as an organization member. */
export const RepoRecord = Type.Object({
  id: Id(), name: Type.String(), full_name: Type.String(), private: Type.Boolean(), owner: UserRef,
  created_at: nullable(Instant()), updated_at: nullable(Instant()), pushed_at: nullable(Instant()),
});
type Repo = { id: number | bigint; created_at: string | null };

/**
 * Snapshot, conditional, newest update first: a repository whose metadata changes moves to the
 * first page, so a 304 there means nothing changed (counters of older repositories on later
 * pages, stars and forks, are caught up by the next full read: any change on page 1 or
 * --full-refresh).
 */
export const repos = defineApiStream<Repo>({
  name: 'repos',
  schema: RepoRecord,
  id: (r) => r.id,
  timestamp: (r) => dateOf(r.created_at),
  request: () => gh('/user/repos', { affiliation: 'owner,collaborator,organization_member', sort: 'updated', direction: 'desc', per_page: PER_PAGE }),
  paging: { type: 'link' },
  conditional: true,
});
