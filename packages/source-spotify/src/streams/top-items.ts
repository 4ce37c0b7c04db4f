import { emit, Type, type Stream } from '@bronze/core';
import { listing } from '../api/paging.js';

export const TOP_TYPES = ['tracks', 'artists'] as const;
export const TIME_RANGES = ['short_term', 'medium_term', 'long_term'] as const;

/** One ranking: the paging object of GET /me/top/{type}?time_range=… with its type and range. */
export const TopItemsRecord = Type.Object({
  type: Type.Union(TOP_TYPES.map((t) => Type.Literal(t))),
  time_range: Type.Union(TIME_RANGES.map((t) => Type.Literal(t))),
  items: Type.Array(Type.Object({ id: Type.String() })),
});
type TopItems = { type: string; time_range: string; items: unknown[] };

/**
 * The user's top 50 tracks and artists over ~4 weeks, ~6 months and ~1 year: six requests,
 * one row per ranking (raw_id `<type>:<time_range>`, e.g. `tracks:short_term`) holding the
 * response as Spotify sent it plus `type` and `time_range`. A snapshot: a ranking that
 * changed is a new version, one that did not stores nothing.
 */
export const topItems: Stream<TopItems> = {
  name: 'top_items',
  schema: TopItemsRecord,
  incremental: 'snapshot',
  id: (r) => `${r.type}:${r.time_range}`,
  async *read(_args, ctx) {
    for (const type of TOP_TYPES) {
      for (const time_range of TIME_RANGES) {
        if (ctx.signal.aborted) return;
        const res = await ctx.http.json<Record<string, unknown>>(listing(`me/top/${type}`, { time_range }));
        yield emit({ ...res.body, type, time_range } as TopItems, { api: res.api });
      }
    }
  },
};
