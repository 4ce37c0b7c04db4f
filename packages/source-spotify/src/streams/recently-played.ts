import { defineApiStream, Type } from '@bronze/core';

/** A play history object of GET /me/player/recently-played: the track, when, and from where. */
export const PlayHistoryRecord = Type.Object({
  played_at: Type.String({ description: 'ISO 8601 UTC, milliseconds' }),
  track: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), uri: Type.String() }),
  context: Type.Union([Type.Object({ type: Type.String(), uri: Type.String() }), Type.Null()]),
});
type PlayHistory = { played_at: string; track: { id: string | null; uri: string } };

/** How many plays Spotify keeps, and sends at most. */
const PLAYS_KEPT = 50;

/**
 * 50 plays since the cursor: Spotify may have dropped older ones before this run asked. They
 * cannot be read from the API any more; the summary says which span may lack plays.
 */
function fullHistoryNote(afterMs: number, items: PlayHistory[]): string {
  const oldest = items.map((p) => p.played_at).sort()[0];
  return (
    `recently_played: Spotify sent ${items.length} plays since the last one stored (${new Date(afterMs).toISOString()}), the most it keeps: ` +
    `plays between then and ${oldest} may have been dropped by Spotify before this run; run every 2 hours or less, and import the next export (it holds every play)`
  );
}

/**
 * The last plays (Spotify keeps only the last 50, tracks only, each played ≥ 30 s): one request
 * of up to 50, `after` = the cursor in Unix ms (exclusive), so a run with nothing new gets an
 * empty list. Scheduled every ≤ 2 h (50 plays of ~2.5 min), nothing is lost between runs.
 * raw_id `<played_at>|<track id>` (`<played_at>|<track uri>` for a local file, which has no id):
 * unrelated to the exports' play ids (which use when the play ended and ms_played).
 */
export const recentlyPlayed = defineApiStream<PlayHistory>({
  name: 'recently_played',
  schema: PlayHistoryRecord,
  id: (r) => `${r.played_at}|${r.track.id ?? r.track.uri}`,
  timestamp: (r) => new Date(r.played_at),
  request: ({ after }) => ({ path: 'me/player/recently-played', query: { limit: 50, after: after instanceof Date ? after.getTime() : undefined } }),
  items: (body, res, ctx) => {
    const items = body?.items as PlayHistory[] | undefined;
    const after = /[?&]after=(\d+)/.exec(res.api.endpoint)?.[1];
    if (after && items && items.length >= PLAYS_KEPT) ctx.note?.(fullHistoryNote(Number(after), items));
    return items;
  },
  // Newest first: core hands the plays over oldest first, each with the cursor it reached.
  incremental: { kind: 'by-field', field: (r) => r.played_at, order: 'descending' },
});
