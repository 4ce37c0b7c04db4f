import { defineApiStream, Type } from '@bronze/core';
import { listing, nextOffsetPaging } from '../api/paging.js';

/** A saved track object of GET /me/tracks: when it was saved, and the full track. */
export const SavedTrackRecord = Type.Object({
  added_at: Type.String(),
  track: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), uri: Type.String() }),
});
type SavedTrack = { added_at: string; track: { id: string | null; uri: string } };

/**
 * The Liked Songs, newest first (`added_at` descending), in pages of 50. The API has no
 * "added since" filter, so core stops at the first track saved before the cursor (stopAtCursor):
 * a run with nothing new is one request. The cursor (the newest `added_at`) moves only once the
 * read reached it, so an interrupted backfill starts again and stores nothing twice. raw_id: the
 * track id (a track saved again is a new version, with its new `added_at`).
 */
export const savedTracks = defineApiStream<SavedTrack>({
  name: 'saved_tracks',
  schema: SavedTrackRecord,
  id: (r) => r.track.id ?? r.track.uri,
  timestamp: (r) => new Date(r.added_at),
  request: () => listing('me/tracks'),
  paging: nextOffsetPaging,
  incremental: { kind: 'by-field', field: (r) => r.added_at, order: 'descending', stopAtCursor: true },
});
