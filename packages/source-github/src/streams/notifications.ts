import { defineApiStream, Type } from '@bronze/core';
import { gh, isoSecond, PER_PAGE } from '../client.js';
import { dateOf, Id, Instant, nullable } from './fields.js';
import { OVERLAP_MS } from './issue-listing.js';

/** GET /notifications?all=true: notification threads, read ones included. */
export const NotificationRecord = Type.Object({
  id: Type.String(), unread: Type.Boolean(), reason: Type.String(), updated_at: Instant(), last_read_at: nullable(Instant()),
  subject: Type.Object({ title: Type.String(), type: Type.String() }), repository: Type.Object({ id: Id(), full_name: Type.String() }),
});
type Thread = { id: string; updated_at: string };

/**
 * By field updated_at, newest first, with `since`; conditional (GitHub documents Last-Modified /
 * If-Modified-Since polling for this listing; its ETag works the same way). raw_id is the
 * thread id: each new activity in a thread is a new version of its row. Classic tokens only:
 * fine-grained tokens cannot read notifications.
 */
export const notifications = defineApiStream<Thread>({
  name: 'notifications',
  schema: NotificationRecord,
  id: (r) => r.id,
  timestamp: (r) => dateOf(r.updated_at),
  request: ({ after }) => gh('/notifications', { all: true, per_page: PER_PAGE, since: after instanceof Date ? isoSecond(after) : undefined }),
  paging: { type: 'link' },
  incremental: { kind: 'by-field', field: (r) => r.updated_at, order: 'descending', overlapMs: OVERLAP_MS },
  conditional: true,
});
