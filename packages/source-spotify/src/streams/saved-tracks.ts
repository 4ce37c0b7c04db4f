import { checkpoint, Type, type ByFieldState, type Stream } from '@bronze/core';
import { listing, nextOffsetPaging } from '../api/paging.js';

/** A saved track object of GET /me/tracks: when it was saved, and the full track. */
export const SavedTrackRecord = Type.Object({
  added_at: Type.String(),
  track: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), uri: Type.String() }),
});
type SavedTrack = { added_at: string; track: { id: string | null; uri: string } };

/**
 * The Liked Songs, newest first (`added_at` descending), in pages of 50. The API has no
 * "added since" filter, so the read stops at the first track saved before the cursor: a run
 * with nothing new is one request. The cursor (the newest `added_at`) moves only once the read
 * reached it, so an interrupted backfill starts again and stores nothing twice. raw_id: the
 * track id (a track saved again is a new version, with its new `added_at`).
 */
export const savedTracks: Stream<SavedTrack, ByFieldState> = {
  name: 'saved_tracks',
  schema: SavedTrackRecord,
  incremental: 'by-field',
  id: (r) => r.track.id ?? r.track.uri,
  timestamp: (r) => new Date(r.added_at),
  async *read({ state, since }, ctx) {
    const stopBefore = since?.toISOString() ?? (typeof state?.cursor === 'string' ? state.cursor : undefined);
    let newest = state?.cursor as string | undefined;
    for await (const item of ctx.http.records<SavedTrack>(listing('me/tracks'), { paging: nextOffsetPaging })) {
      const ms = Date.parse(item.record?.added_at);
      const added = Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
      // Equal to the cursor: read again (unchanged, stores nothing); older: all seen before.
      // A track without a readable added_at is stored (and validated) and moves nothing.
      if (added !== undefined && stopBefore !== undefined && added < stopBefore) break;
      yield item;
      if (added !== undefined && (newest === undefined || added > newest)) newest = added;
    }
    if (!ctx.signal.aborted && !since && newest !== undefined) yield checkpoint({ cursor: newest });
  },
};
