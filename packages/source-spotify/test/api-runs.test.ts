import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '@bronze/core';
import { describeOneEngine } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import spotify, { NOT_CONFIGURED } from '../src/index.js';
import { runApi, tokenRoot } from './helpers/api-run.js';
import { cursors, rowsPerStream } from './helpers/capture.js';
import { tempDir } from './helpers/exports.js';
import { startSpotifyApi, type SpotifyApi } from './helpers/spotify-api.js';

// Counted from the recorded responses themselves, not from the server that replays them.
const recorded = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', 'api', name), 'utf8'));
const PLAYS = recorded('recently-played.json').items as { played_at: string; track: { id: string } }[];
const SAVED = recorded('saved-tracks.json').items as { added_at: string; track: { id: string } }[];

// Pages of 8 (Spotify's are 50): the 20 saved tracks take three requests, so reading them all
// again on a re-run would show.
const PAGED = { maxLimit: 8 };

let api: SpotifyApi;
beforeAll(async () => {
  api = await startSpotifyApi().start();
});
afterAll(() => api.close());

/** Requests of the last run, by path. */
const byPath = () => api.calls.reduce<Record<string, number>>((acc, c) => ((acc[c.path] = (acc[c.path] ?? 0) + 1), acc), {});

describeOneEngine('spotify Web API runs', (db) => {
  const { tokenFile } = tokenRoot();

  it('a first run stores one row per listed element, per stream', async () => {
    api.reset(PAGED);
    const r = await runApi(db(), api, tokenFile);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(await rowsPerStream(db())).toEqual({ recently_played: PLAYS.length, saved_tracks: SAVED.length, playlists: 2, playlist_items: 2, top_items: 6 });
    expect(r.invalid).toBe(0);
    const stored = await db().withSession((s) => s.query<{ raw_id: string; n: number }>(`SELECT raw_id, jsonb_array_length(raw_data->'items')::int AS n FROM bronze_spotify WHERE stream = 'playlist_items' ORDER BY raw_id`));
    expect(stored).toEqual([{ raw_id: '1dm9phr0m51fcFcEEumCW7', n: 9 }, { raw_id: '6x41JfbXvC2I3r8lqLTiEI', n: 5 }]);
    const newest = PLAYS.map((p) => p.played_at).sort().at(-1)!;
    expect(await cursors(db())).toMatchObject({ recently_played: { cursor: newest }, saved_tracks: { cursor: SAVED.map((s) => s.added_at).sort().at(-1)!.replace('Z', '.000Z') } });
  });

  it('a re-run with nothing new makes one request per incremental stream and adds 0 rows', async () => {
    api.reset(PAGED);
    const r = await runApi(db(), api, tokenFile);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(0);
    const newestMs = String(Math.max(...PLAYS.map((p) => Date.parse(p.played_at))));
    expect(api.calls.filter((c) => c.path === '/v1/me/player/recently-played').map((c) => c.query)).toEqual([{ limit: '50', after: newestMs }]);
    // recently_played and saved_tracks: one each; playlists and playlist_items: /me/playlists each, no items read (snapshot_ids unchanged); top_items: its six rankings.
    expect(byPath()).toEqual({ '/v1/me/player/recently-played': 1, '/v1/me/tracks': 1, '/v1/me/playlists': 2, '/v1/me/top/tracks': 3, '/v1/me/top/artists': 3 });
  });

  it('a new play, a newly saved track and an edited playlist are exactly what the next run adds', async () => {
    api.reset(PAGED);
    const d = api.data();
    d.plays.unshift({ ...d.plays[0], played_at: '2017-07-29T09:01:02.003Z' });
    d.saved.unshift({ ...d.saved[0], added_at: '2017-07-20T10:00:00Z', track: { ...d.saved[0].track, id: '4iV5W9uYEdYUVa79Axb7Rh', uri: 'spotify:track:4iV5W9uYEdYUVa79Axb7Rh' } });
    const edited = d.playlists[1];
    edited.snapshot_id = 'MTAsNzQ3YjA4ZGFkYzY0OGMyYjI4YjQxZDUwYWFkM2JhZmQ5ZGFlOWYwYQ==';
    edited.tracks.items.pop();
    const r = await runApi(db(), api, tokenFile);
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.inserted).toBe(4);
    expect(byPath()).toMatchObject({ '/v1/me/player/recently-played': 1, '/v1/me/tracks': 1, '/v1/playlists/6x41JfbXvC2I3r8lqLTiEI/items': 1 });
    expect(byPath()['/v1/playlists/1dm9phr0m51fcFcEEumCW7/items']).toBeUndefined();
    const versions = await db().withSession((s) => s.query<{ stream: string; raw_id: string; version: number; n: number | null }>(
      `SELECT stream, raw_id, version, CASE WHEN stream = 'playlist_items' THEN jsonb_array_length(raw_data->'items') END::int AS n FROM bronze_spotify WHERE stream IN ('playlists', 'playlist_items') AND raw_id = '6x41JfbXvC2I3r8lqLTiEI' ORDER BY stream, version`));
    expect(versions).toEqual([
      { stream: 'playlist_items', raw_id: '6x41JfbXvC2I3r8lqLTiEI', version: 1, n: 5 },
      { stream: 'playlist_items', raw_id: '6x41JfbXvC2I3r8lqLTiEI', version: 2, n: 4 },
      { stream: 'playlists', raw_id: '6x41JfbXvC2I3r8lqLTiEI', version: 1, n: null },
      { stream: 'playlists', raw_id: '6x41JfbXvC2I3r8lqLTiEI', version: 2, n: null },
    ]);
    const play = await db().withSession((s) => s.query<{ raw_id: string }>(`SELECT raw_id FROM bronze_spotify WHERE stream = 'recently_played' ORDER BY source_timestamp DESC LIMIT 1`));
    expect(play[0].raw_id).toBe(`2017-07-29T09:01:02.003Z|${PLAYS[0].track.id}`);
  });

  // Spotify keeps the last 50 plays: 50 since the cursor may mean older ones were dropped.
  it('50 plays since the cursor, the most Spotify keeps: stored, and the summary names the span that may lack plays; 49: no word', async () => {
    api.reset(PAGED);
    const d = api.data();
    // After the newest play stored (earlier tests added one the recorded data lacks).
    const [{ at }] = await db().withSession((s) => s.query<{ at: Date }>(`SELECT max(source_timestamp) AS at FROM bronze_spotify WHERE stream = 'recently_played'`));
    const last = at.getTime();
    const plays = (n: number, from: number) => Array.from({ length: n }, (_, k) => ({ ...d.plays[0], played_at: new Date(from + (k + 1) * 180_000).toISOString() }));
    d.plays.unshift(...plays(49, last).reverse());
    const quiet = await runApi(db(), api, tokenFile);
    expect(quiet.status, quiet.errors.join('; ')).toBe('succeeded');
    expect(quiet.notes.filter((n) => n.startsWith('recently_played:'))).toEqual([]);
    const newest = last + 49 * 180_000;
    d.plays.unshift(...plays(50, newest).reverse());
    const full = await runApi(db(), api, tokenFile);
    expect(full.status, full.errors.join('; ')).toBe('succeeded');
    const oldest = new Date(newest + 180_000).toISOString();
    expect(full.notes).toContain(
      `recently_played: Spotify sent 50 plays since the last one stored (${new Date(newest).toISOString()}), the most it keeps: plays between then and ${oldest} may have been dropped by Spotify before this run; run every 2 hours or less, and import the next export (it holds every play)`,
    );
    const [{ n }] = await db().withSession((s) => s.query<{ n: number }>(`SELECT count(*)::int AS n FROM bronze_spotify WHERE stream = 'recently_played' AND source_timestamp > $1`, [at]));
    expect(n).toBe(99);
  });

  it('--since re-reads saved tracks down to that instant only, and leaves the cursor as it was', async () => {
    api.reset(PAGED);
    const before = await cursors(db());
    const since = new Date('2017-07-01T19:50:00Z');
    const r = await runApi(db(), api, tokenFile, { streams: ['saved_tracks'], since });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    // 11 tracks saved since then: the second page of 8 holds the first older one, where the read stops.
    expect(r.seen).toBe(SAVED.filter((t) => Date.parse(t.added_at) >= since.getTime()).length);
    expect(r.seen).toBe(11);
    expect(api.calls.map((c) => [c.path, c.query.offset ?? ''])).toEqual([['/v1/me/tracks', ''], ['/v1/me/tracks', '8']]);
    expect(await cursors(db())).toEqual(before);
  });

  it('playlist contents follow the link the API gives (/tracks in the classic shape); a playlist whose items are refused (403) is noted, the others stored', async () => {
    api.reset({ ...PAGED, shape: 'classic', forbiddenPlaylist: '1dm9phr0m51fcFcEEumCW7' });
    const r = await runApi(db(), api, tokenFile, { fullRefresh: true });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(api.calls.filter((c) => c.path.startsWith('/v1/playlists/')).map((c) => [c.path, c.status])).toEqual([
      ['/v1/playlists/1dm9phr0m51fcFcEEumCW7/tracks', 403], ['/v1/playlists/6x41JfbXvC2I3r8lqLTiEI/tracks', 200],
    ]);
    expect(r.notes).toEqual([expect.stringContaining('the items of playlist 1dm9phr0m51fcFcEEumCW7 (') as unknown as string]);
    expect(r.notes[0]).toContain('are not readable (403)');
    // The classic entries (track, no item) of the readable playlist are a new version of its contents.
    const latest = await db().withSession((s) => s.query<{ has_item: boolean; has_track: boolean }>(
      `SELECT (raw_data->'items'->0) ? 'item' AS has_item, (raw_data->'items'->0) ? 'track' AS has_track FROM bronze_spotify WHERE stream = 'playlist_items' AND raw_id = '6x41JfbXvC2I3r8lqLTiEI' ORDER BY version DESC LIMIT 1`));
    expect(latest).toEqual([{ has_item: false, has_track: true }]);
  });

  it('without SPOTIFY_CLIENT_ID an API run reads nothing and says so in the run summary', async () => {
    api.reset(PAGED);
    const r = await ingest(db(), spotify, { env: { BRONZE_HOME: tempDir(), SPOTIFY_BASE_URL: `${api.url}/v1` } });
    expect(r.status).toBe('succeeded');
    expect(r.seen).toBe(0);
    expect(r.notes).toEqual([NOT_CONFIGURED]);
    expect(api.calls).toEqual([]);
  });
});
