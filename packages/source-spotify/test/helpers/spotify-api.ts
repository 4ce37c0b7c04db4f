import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A local Spotify (Web API under /v1 and the Accounts service's /api/token) over real HTTP,
 * replaying the recorded responses in test/fixtures/api with Spotify's own semantics: `after`
 * on recently played, paging objects with `next` URLs, snapshot_ids, Bearer tokens that
 * expire, refresh tokens that rotate, 429 with Retry-After. Each API request logs what the
 * token file held when it arrived (to prove the rotated refresh token was on disk first).
 */
const API_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'api');
const load = <T>(name: string): T => JSON.parse(readFileSync(join(API_FIXTURES, name), 'utf8')) as T;
type Json = Record<string, any>;

export interface SpotifyData {
  plays: Json[];
  saved: Json[];
  playlists: Json[];
  top: { tracks: Json[]; artists: Json[] };
}
/** The recorded data: 3 plays, 20 saved tracks, 2 playlists (9 and 5 items), 3 top tracks, 3 top artists. */
export const recordedData = (): SpotifyData => ({
  plays: load<Json>('recently-played.json').items,
  saved: load<Json>('saved-tracks.json').items,
  playlists: [load<Json>('playlist-1dm9phr0m51fcFcEEumCW7.json'), load<Json>('playlist-6x41JfbXvC2I3r8lqLTiEI.json')],
  top: { tracks: load<Json>('tracks.json').tracks, artists: load<Json>('artists.json').artists },
});

export interface LoggedCall {
  path: string;
  query: Record<string, string>;
  status: number;
  /** refresh_token in the token file when the request arrived. */
  refreshOnDisk?: string;
}

export interface Faults {
  /** The access token answers 401 "The access token expired" from the n-th API request on (1-based). */
  expireAccessAt?: number;
  /** The n-th API request answers 429 with this Retry-After (seconds). */
  rateLimitAt?: { n: number; retryAfter: string };
  refuseRefresh?: boolean;
  /** Page size the server caps `limit` at (Spotify: 50). */
  maxLimit?: number;
  /**
   * 'dev-2026' (default): what a development-mode app gets since March 2026: playlists name
   * their contents `items: { href: …/items }`, entries carry `item` (and the deprecated `track`),
   * /playlists/{id}/tracks is 403. 'classic': `tracks: { href: …/tracks }`, entries `track`.
   */
  shape?: 'dev-2026' | 'classic';
  /** A playlist whose items this app may not read (not the user's own: 403 Forbidden). */
  forbiddenPlaylist?: string;
}

export function startSpotifyApi() {
  let tokenFile: string | undefined;
  let data = recordedData();
  let faults: Faults = {};
  const calls: LoggedCall[] = [];
  const tokenForms: Record<string, string>[] = [];
  let access = 'initial-access-token-abcdef';
  let refresh = 'initial-refresh-token-abcdef';
  let issued = 0;
  let apiRequests = 0;
  let challenge: string | undefined;
  let url = '';

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  const error = (res: ServerResponse, status: number, message: string, headers?: Record<string, string>) => send(res, status, { error: { status, message } }, headers);

  function page(path: string, all: Json[], q: URLSearchParams, extra: Record<string, string> = {}) {
    const limit = Math.min(Number(q.get('limit') ?? 20), faults.maxLimit ?? 50);
    const offset = Number(q.get('offset') ?? 0);
    const link = (o: number) => `${url}/v1/${path}?${new URLSearchParams({ ...extra, offset: String(o), limit: String(limit) })}`;
    return {
      href: link(offset), items: all.slice(offset, offset + limit), limit, offset, total: all.length,
      next: offset + limit < all.length ? link(offset + limit) : null, previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    };
  }

  function recentlyPlayed(q: URLSearchParams) {
    const limit = Math.min(Number(q.get('limit') ?? 20), 50);
    const ms = (p: Json) => Date.parse(p.played_at);
    const after = q.get('after');
    const before = q.get('before');
    let plays = [...data.plays].sort((a, b) => ms(b) - ms(a));
    if (after) plays = plays.filter((p) => ms(p) > Number(after)).slice(-limit);
    else plays = plays.filter((p) => !before || ms(p) < Number(before)).slice(0, limit);
    const href = `${url}/v1/me/player/recently-played?${q}`;
    if (!plays.length) return { items: [], next: null, cursors: null, limit, href };
    const oldest = ms(plays[plays.length - 1]);
    return { items: plays, next: `${url}/v1/me/player/recently-played?before=${oldest}&limit=${limit}`, cursors: { after: String(ms(plays[0])), before: String(oldest) }, limit, href };
  }

  function api(path: string, q: URLSearchParams, res: ServerResponse) {
    if (path === '/v1/me') return send(res, 200, load('me.json'));
    if (path === '/v1/me/player/recently-played') return send(res, 200, recentlyPlayed(q));
    if (path === '/v1/me/tracks') return send(res, 200, page('me/tracks', data.saved, q));
    const classic = faults.shape === 'classic';
    const contents = classic ? 'tracks' : 'items';
    if (path === '/v1/me/playlists') {
      const simplified = data.playlists.map(({ followers: _f, tracks, ...p }) => ({ ...p, [contents]: { href: `${url}/v1/playlists/${p.id}/${contents}`, total: tracks.items.length } }));
      return send(res, 200, page('me/playlists', simplified, q));
    }
    const items = /^\/v1\/playlists\/([^/]+)\/(tracks|items)$/.exec(path);
    const playlist = items && data.playlists.find((p) => p.id === items[1]);
    if (playlist && (items![2] !== contents || playlist.id === faults.forbiddenPlaylist)) return error(res, 403, 'Forbidden');
    if (playlist) {
      const entries = (playlist.tracks.items as Json[]).map(({ track, ...e }) => (classic ? { ...e, track } : { ...e, item: track, track }));
      return send(res, 200, page(`playlists/${playlist.id}/${contents}`, entries, q));
    }
    const top = /^\/v1\/me\/top\/(tracks|artists)$/.exec(path);
    if (top) return send(res, 200, page(`me/top/${top[1]}`, data.top[top[1] as 'tracks' | 'artists'], q, { time_range: q.get('time_range') ?? 'medium_term' }));
    error(res, 404, 'Service not found');
  }

  function token(form: Record<string, string>, res: ServerResponse) {
    tokenForms.push(form);
    if (form.grant_type === 'authorization_code') {
      const s256 = form.code_verifier && createHash('sha256').update(form.code_verifier).digest('base64url');
      if (form.code !== 'the-auth-code-abcdef' || (challenge && s256 !== challenge)) return send(res, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    } else if (form.grant_type !== 'refresh_token' || faults.refuseRefresh || form.refresh_token !== refresh) {
      return send(res, 400, { error: 'invalid_grant', error_description: 'Refresh token revoked' });
    }
    issued++;
    access = `access-${issued}-abcdef`;
    refresh = `refresh-${issued}-abcdef`;
    faults.expireAccessAt = undefined;
    send(res, 200, { access_token: access, token_type: 'Bearer', scope: 'user-read-recently-played user-library-read', expires_in: 3600, refresh_token: refresh });
  }

  const handle = (req: IncomingMessage, res: ServerResponse, text: string) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && u.pathname === '/api/token') return token(Object.fromEntries(new URLSearchParams(text)), res);
    const n = ++apiRequests;
    const call: LoggedCall = { path: u.pathname, query: Object.fromEntries(u.searchParams), status: 200 };
    if (tokenFile) call.refreshOnDisk = (JSON.parse(readFileSync(tokenFile, 'utf8')) as { refresh_token?: string }).refresh_token;
    calls.push(call);
    // Set before the answer is written, so the log is complete when the client has it.
    const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, string>) => ServerResponse;
    res.writeHead = ((status: number, headers: Record<string, string>) => ((call.status = status), writeHead(status, headers))) as typeof res.writeHead;
    if (req.headers.authorization !== `Bearer ${access}`) return error(res, 401, 'Invalid access token');
    if (faults.expireAccessAt !== undefined && n >= faults.expireAccessAt) return error(res, 401, 'The access token expired');
    if (faults.rateLimitAt?.n === n) return error(res, 429, 'API rate limit exceeded', { 'retry-after': faults.rateLimitAt.retryAfter });
    api(u.pathname, u.searchParams, res);
  };
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => handle(req, res, text));
  });

  return {
    async start() {
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return this;
    },
    get url() {
      return url;
    },
    calls,
    tokenForms,
    data: () => data,
    /** Back to the recorded data and the initial tokens, no faults, empty logs. */
    reset(f: Faults = {}) {
      data = recordedData();
      faults = f;
      calls.length = 0;
      tokenForms.length = 0;
      access = 'initial-access-token-abcdef';
      refresh = 'initial-refresh-token-abcdef';
      apiRequests = 0;
      tokenFile = undefined;
    },
    setFaults(f: Faults) {
      faults = f;
      apiRequests = 0;
    },
    /** Log, with each API request, the refresh_token this file holds when it arrives. */
    watch(path: string) {
      tokenFile = path;
    },
    expectChallenge(c: string) {
      challenge = c;
    },
    tokens: () => ({ access, refresh }),
    close: () => new Promise<void>((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
}
export type SpotifyApi = Awaited<ReturnType<ReturnType<typeof startSpotifyApi>['start']>>;
