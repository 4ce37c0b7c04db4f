import { checkpoint, emit, HttpError, Type, type Emitted, type SourceContext, type Stream } from '@bronze/core';
import { apiPath, listing, nextOffsetPaging } from '../api/paging.js';

/** One version of one playlist's contents: the playlist track objects as the API lists them, in order. */
export const PlaylistItemsRecord = Type.Object({
  playlist_id: Type.String(),
  snapshot_id: Type.String(),
  /** Each entry: `added_at`, `added_by`, `is_local`, and `item` (since 2026) and/or `track`. */
  items: Type.Array(Type.Object({ added_at: Type.Union([Type.String(), Type.Null()]) })),
});
export interface PlaylistItems {
  playlist_id: string;
  snapshot_id: string;
  items: unknown[];
}

/** The snapshot_id of each playlist whose items are stored, so unchanged lists are not read again. */
export interface PlaylistItemsState {
  snapshots: Record<string, string>;
}

interface ListedPlaylist {
  id: string;
  snapshot_id: string;
  name?: string;
  /** `{ href, total }` of the contents: `items` since the 2026 changes (development-mode apps), `tracks` before. */
  tracks?: { href?: string | null } | null;
  items?: { href?: string | null } | null;
}

/**
 * What each playlist holds, one row per playlist version (raw_id: the playlist id): the whole
 * list of items of one snapshot_id, so a change (added, removed, moved) is a new version whose
 * `items` is the list after it. Only playlists whose snapshot_id differs from the one stored
 * are read (a run with nothing changed is the one /me/playlists request); each is committed
 * with its snapshot_id, so an interrupted run goes on where it stopped.
 */
export const playlistItems: Stream<PlaylistItems, PlaylistItemsState> = {
  name: 'playlist_items',
  schema: PlaylistItemsRecord,
  incremental: 'snapshot',
  id: (r) => r.playlist_id,
  async *read({ state }, ctx) {
    const snapshots = { ...state?.snapshots };
    const listed: ListedPlaylist[] = [];
    let unnamed = 0;
    for await (const item of ctx.http.records<ListedPlaylist | null>(listing('me/playlists'), { paging: nextOffsetPaging, items: (body) => body?.items })) {
      // Since Spotify's 2024-11-27 changes the listing holds `null` for a Spotify-owned playlist
      // the app may no longer see: no id, nothing to read. The playlists stream stores the
      // element as sent (an invalid row); here it is skipped, not a reason to stop the others.
      if (item.record && typeof item.record === 'object' && typeof item.record.id === 'string') listed.push(item.record);
      else unnamed++;
    }
    if (unnamed) ctx.note?.(`spotify.playlist_items: /me/playlists listed ${unnamed} ${unnamed === 1 ? 'entry' : 'entries'} without a playlist id (Spotify lists the playlists it no longer shows apps as null); the playlists stream stores ${unnamed === 1 ? 'it' : 'them'} as sent`);
    for (const p of listed) {
      if (ctx.signal.aborted) return;
      // A playlist listed without a snapshot_id cannot be known unchanged: read it every run.
      if (typeof p.snapshot_id === 'string' && snapshots[p.id] === p.snapshot_id) continue;
      const row = await itemsOf(p, ctx);
      if (ctx.signal.aborted) return;
      if (row) yield row;
      snapshots[p.id] = p.snapshot_id;
      yield checkpoint({ snapshots: { ...snapshots } });
    }
  },
};

async function itemsOf(p: ListedPlaylist, ctx: SourceContext): Promise<Emitted<PlaylistItems> | undefined> {
  // The link the API gives: /playlists/{id}/items now (/tracks answers 403 to development-mode apps), /tracks before.
  const path = apiPath(p.items?.href ?? p.tracks?.href) ?? `playlists/${encodeURIComponent(p.id)}/items`;
  const items: unknown[] = [];
  let api;
  try {
    for await (const item of ctx.http.records(listing(path), { paging: nextOffsetPaging, items: (body) => body?.items })) {
      items.push(item.record);
      api = item.meta?.api;
    }
  } catch (err) {
    // Development-mode apps may read only the items of the user's own and collaborative
    // playlists (since 2026), and no app those of Spotify's algorithmic ones (since 2024).
    if (!(err instanceof HttpError) || (err.status !== 403 && err.status !== 404)) throw err;
    ctx.note?.(`spotify.playlist_items: the items of playlist ${p.id} (${p.name ?? 'no name'}) are not readable (${err.status}): Spotify gives apps only the items of the user's own and collaborative playlists, and not those of its algorithmic ones`);
    return undefined;
  }
  return emit({ playlist_id: p.id, snapshot_id: p.snapshot_id, items }, api ? { api } : {});
}
