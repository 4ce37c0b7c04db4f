import { defineApiStream, Type } from '@bronze/core';
import { gh, isoSecond, PER_PAGE } from '../client.js';
import { dateOf, Instant, nullable, UserRef } from './fields.js';
import { OVERLAP_MS } from './issue-listing.js';

/** GET /gists: the user's gists (files listed, contents not included). */
export const GistRecord = Type.Object({
  id: Type.String(), description: nullable(Type.String()), public: Type.Boolean(), files: Type.Record(Type.String(), Type.Unknown()),
  owner: Type.Optional(UserRef), created_at: Instant(), updated_at: Instant(),
});
type Gist = { id: string; created_at: string; updated_at: string };

/** By field updated_at with `since`; GitHub does not document the order, so the cursor moves at the listing's end. */
export const gists = defineApiStream<Gist>({
  name: 'gists',
  schema: GistRecord,
  id: (r) => r.id,
  timestamp: (r) => dateOf(r.created_at),
  request: ({ after }) => gh('/gists', { per_page: PER_PAGE, since: after instanceof Date ? isoSecond(after) : undefined }),
  paging: { type: 'link' },
  incremental: { kind: 'by-field', field: (r) => r.updated_at, overlapMs: OVERLAP_MS },
  conditional: true,
});
