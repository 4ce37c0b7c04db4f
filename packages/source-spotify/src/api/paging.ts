import type { HttpRequest, Paging } from '@bronze/core';

/** Spotify's listings cap `limit` at 50 (playlist items at 50 on /items, 100 on /tracks). */
export const PAGE_SIZE = 50;

/**
 * Spotify's paging objects name the next page in `next` (an absolute URL with `offset`, null
 * on the last page): follow it, so a server that returns fewer items than asked still pages,
 * and the last page costs no extra empty request.
 */
export const nextOffsetPaging: Extract<Paging, { type: 'cursor' }> = {
  type: 'cursor',
  param: 'offset',
  next: (body: { next?: string | null } | null) => (body?.next ? (new URL(body.next).searchParams.get('offset') ?? undefined) : undefined),
};

/**
 * A link the API gave (a playlist's `tracks.href`), as a path below the base URL, so that
 * SPOTIFY_BASE_URL (a proxy, a test server) also applies to it: `https://api.spotify.com/v1/x`
 * becomes `x`. Its own query (offset, limit, market) is dropped: paging sets it.
 */
export function apiPath(href: string | undefined | null): string | undefined {
  if (!href) return undefined;
  const { pathname } = new URL(href);
  const at = pathname.indexOf('/v1/');
  return at >= 0 ? pathname.slice(at + 4) : pathname.replace(/^\//, '');
}

/** A first page request of a Spotify listing. */
export const listing = (path: string, query: HttpRequest['query'] = {}): HttpRequest => ({ path, query: { limit: PAGE_SIZE, ...query } });
