import { defineApiStream, Type } from '@bronze/core';
import { listing, nextOffsetPaging } from '../api/paging.js';

/** A simplified playlist object of GET /me/playlists (owned and followed lists). */
export const PlaylistRecord = Type.Object({
  id: Type.String(),
  name: Type.String(),
  snapshot_id: Type.String({ description: 'changes with every change of the list' }),
});

/** Every playlist the user owns or follows; a snapshot: a renamed or edited list is a new version. */
export const playlists = defineApiStream<{ id: string }>({
  name: 'playlists',
  schema: PlaylistRecord,
  id: (r) => r.id,
  request: () => listing('me/playlists'),
  paging: nextOffsetPaging,
  items: (body) => body?.items,
});
