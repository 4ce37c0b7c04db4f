import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingest, silentLogger } from '@bronze/core';
import { describeEachEngine, startFixtureServer, type Fixture, type FixtureServer, type TestDatabase } from '@bronze/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import spotify from '../src/index.js';
import { apiEnv, tokenRoot } from './helpers/api-run.js';

// Bodies the real Spotify Web API sent, recorded by zmb3/spotify (Go client) in its test_data
// (test/fixtures/README.md, "Recorded responses (api/recorded/)"), served byte for byte with the
// fixture server's `text` (the simulator in helpers/spotify-api.ts re-serialises what it serves).
// Their `next` URLs still name api.spotify.com: the source takes only their `offset`, so they are
// not rewritten.
const DIR = join(import.meta.dirname, 'fixtures', 'api', 'recorded');
const text = (name: string) => readFileSync(join(DIR, `zmb3_${name}`), 'utf8');
const RECENT = text('player_recently_played.txt');
const SAVED = text('current_users_tracks.txt');
const PLAYLISTS = text('current_users_playlists.txt');
const TOP = { tracks: text('current_users_top_tracks.txt'), artists: text('current_users_top_artists.txt') };
const CONTENTS = [text('playlist_tracks.txt'), text('playlist_items_tracks.json'), text('playlist_items_episodes.json'), text('playlist_items_episodes_and_tracks.json')];

// Counted here, on the recorded texts (JSON.parse), not by the source.
type Json = Record<string, any>;
const items = (body: string) => (JSON.parse(body) as { items: Json[] }).items;
const listedPlaylists = items(PLAYLISTS);
/** The contents served for each listed playlist: the four recorded playlist item pages, the first again for the fifth. */
const contentsOf = (i: number) => CONTENTS[i % CONTENTS.length];
const nextOffset = (body: string) => new URL((JSON.parse(body) as { next: string }).next).searchParams.get('offset')!;

// NOT recorded: the pages after the recorded ones. The recorded saved tracks page (total 3, 3
// items) and playlists page (offset 20 of 42) both name a `next`; the source follows it, and
// these answer it as the end of the listing (no items, next null), in Spotify's paging shape.
const end = (path: string, offset: string, total: number) =>
  JSON.stringify({ href: `https://api.spotify.com/v1/${path}?offset=${offset}&limit=50`, items: [], limit: 50, next: null, offset: Number(offset), previous: null, total });

const TOKEN = 'initial-access-token-abcdef';
const json = { 'content-type': 'application/json; charset=utf-8' };
const answer = (name: string, path: string, body: string, query: Fixture['request']['query'], times: Fixture['times'] = 1): Fixture => ({ name, request: { path, query }, response: { text: body, headers: json }, times });

function recordedFixtures(): Fixture[] {
  return [
    answer('recently played', '/v1/me/player/recently-played', RECENT, { limit: '50' }),
    answer('saved tracks', '/v1/me/tracks', SAVED, { limit: '50' }),
    answer('saved tracks, after the recorded page', '/v1/me/tracks', end('me/tracks', nextOffset(SAVED), 3), { limit: '50', offset: nextOffset(SAVED) }),
    // Read by playlists and by playlist_items.
    answer('playlists', '/v1/me/playlists', PLAYLISTS, { limit: '50' }, 2),
    answer('playlists, after the recorded page', '/v1/me/playlists', end('me/playlists', nextOffset(PLAYLISTS), 42), { limit: '50', offset: nextOffset(PLAYLISTS) }, 2),
    ...listedPlaylists.map((p, i) => answer(`items of ${p.id}`, `/v1/playlists/${p.id}/tracks`, contentsOf(i), { limit: '50' })),
    ...(['tracks', 'artists'] as const).flatMap((type) =>
      ['short_term', 'medium_term', 'long_term'].map((time_range) => answer(`top ${type} ${time_range}`, `/v1/me/top/${type}`, TOP[type], { limit: '50', time_range })),
    ),
  ];
}

let server: FixtureServer;
beforeAll(async () => {
  server = await startFixtureServer();
});
afterAll(() => server.close());

const rows = (db: TestDatabase, stream: string) =>
  db.withSession((q) => q.query<{ raw_id: string; raw_data: Json }>(`SELECT raw_id, raw_data FROM bronze_spotify WHERE stream = $1 ORDER BY raw_id`, [stream]));
/** Whether the stored raw_data equals this element of a recorded text (jsonb `=`: numbers by value, keys in any order). */
const same = (db: TestDatabase, stream: string, rawId: string, sql: string, recorded: unknown) =>
  db.withSession(async (q) => {
    const [r] = await q.query<{ ok: boolean }>(`SELECT (${sql}) = $3::jsonb AS ok FROM bronze_spotify WHERE stream = $1 AND raw_id = $2`, [stream, rawId, JSON.stringify(recorded)]);
    return r?.ok ?? false;
  });

describeEachEngine('spotify Web API: recorded responses, end to end', (db) => {
  it('stores every element of every recorded response unchanged, one row each, and says succeeded', async () => {
    const { tokenFile } = tokenRoot();
    server.load({ expectAuthorization: `Bearer ${TOKEN}`, fixtures: recordedFixtures() });
    const r = await ingest(db(), spotify, { env: apiEnv(server, tokenFile), logger: silentLogger() });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.invalid).toBe(0);
    server.verify();

    // recently_played: one row per play history object.
    const plays = items(RECENT);
    const playRows = await rows(db(), 'recently_played');
    expect(playRows.length).toBe(plays.length);
    for (const p of plays) expect(await same(db(), 'recently_played', `${p.played_at}|${p.track.id}`, 'raw_data', p), p.played_at).toBe(true);

    // saved_tracks: one row per saved track object.
    const saved = items(SAVED);
    expect((await rows(db(), 'saved_tracks')).map((x) => x.raw_id)).toEqual(saved.map((s) => s.track.id).sort());
    for (const s of saved) expect(await same(db(), 'saved_tracks', s.track.id, 'raw_data', s), s.track.id).toBe(true);

    // playlists: one row per simplified playlist object.
    expect((await rows(db(), 'playlists')).map((x) => x.raw_id)).toEqual(listedPlaylists.map((p) => p.id).sort());
    for (const p of listedPlaylists) expect(await same(db(), 'playlists', p.id, 'raw_data', p), p.id).toBe(true);

    // playlist_items: per playlist, its recorded entries in order, with its id and snapshot_id.
    expect((await rows(db(), 'playlist_items')).map((x) => x.raw_id)).toEqual(listedPlaylists.map((p) => p.id).sort());
    for (const [i, p] of listedPlaylists.entries()) {
      const entries = items(contentsOf(i));
      expect(await same(db(), 'playlist_items', p.id, 'raw_data', { playlist_id: p.id, snapshot_id: p.snapshot_id, items: entries }), p.id).toBe(true);
    }

    // top_items: one row per ranking, the response as sent plus its type and time_range.
    const top = await rows(db(), 'top_items');
    expect(top.map((x) => x.raw_id)).toEqual(['artists:long_term', 'artists:medium_term', 'artists:short_term', 'tracks:long_term', 'tracks:medium_term', 'tracks:short_term']);
    for (const t of top) {
      const [type] = t.raw_id.split(':') as ['tracks' | 'artists'];
      expect(await same(db(), 'top_items', t.raw_id, `raw_data - 'type' - 'time_range'`, JSON.parse(TOP[type])), t.raw_id).toBe(true);
      expect(await same(db(), 'top_items', t.raw_id, `to_jsonb(jsonb_array_length(raw_data->'items'))`, items(TOP[type]).length), t.raw_id).toBe(true);
    }
  });

  // Since Spotify's 2024-11-27 Web API changes, /me/playlists lists a Spotify-owned playlist the
  // app may no longer see as `null` (reported in zmb3/spotify#279, where Go decodes it as an
  // empty object, and jjdenhertog/spotify-to-plex#6, which filters the nulls out). No recording
  // of such a page was found: this one is the recorded page with a `null` put first in its
  // `items`, the rest of its text as recorded.
  it('a null in the playlist listing (a Spotify-owned playlist since 2024-11) is kept, and the other playlists and their items are stored', async () => {
    await db().withSession(async (q) => {
      const [{ held }] = await q.query<{ held: boolean }>(`SELECT to_regclass('bronze_spotify') IS NOT NULL AS held`);
      if (held) await q.query('TRUNCATE bronze_spotify, bronze_spotify_latest');
      await q.query(`DELETE FROM bronze_state WHERE source = 'spotify'`);
    });
    const at = PLAYLISTS.indexOf('[', PLAYLISTS.indexOf('"items"'));
    const withNull = `${PLAYLISTS.slice(0, at + 1)} null,${PLAYLISTS.slice(at + 1)}`;
    expect(JSON.parse(withNull).items).toEqual([null, ...listedPlaylists]);
    const { tokenFile } = tokenRoot();
    server.load({
      expectAuthorization: `Bearer ${TOKEN}`,
      fixtures: [
        answer('playlists', '/v1/me/playlists', withNull, { limit: '50' }, 2),
        answer('playlists, after the recorded page', '/v1/me/playlists', end('me/playlists', nextOffset(PLAYLISTS), 42), { limit: '50', offset: nextOffset(PLAYLISTS) }, 2),
        ...listedPlaylists.map((p, i) => answer(`items of ${p.id}`, `/v1/playlists/${p.id}/tracks`, contentsOf(i), { limit: '50' })),
      ],
    });
    const r = await ingest(db(), spotify, { env: apiEnv(server, tokenFile), logger: silentLogger(), streams: ['playlists', 'playlist_items'] });
    expect(r.status, r.errors.join('; ')).toBe('succeeded');
    expect(r.notes).toEqual([expect.stringContaining('/me/playlists listed 1 entry without a playlist id') as unknown as string]);
    server.verify();
    // The null is a row of its own (invalid: it has no id), next to the five playlists.
    const listed = await db().withSession((q) => q.query<{ raw_data: unknown; validation_status: string }>(`SELECT raw_data, validation_status FROM bronze_spotify WHERE stream = 'playlists' ORDER BY raw_id`));
    expect(listed.length).toBe(listedPlaylists.length + 1);
    expect(listed.filter((x) => x.raw_data === null).map((x) => x.validation_status)).toEqual(['invalid']);
    for (const p of listedPlaylists) expect(await same(db(), 'playlists', p.id, 'raw_data', p), p.id).toBe(true);
    // Every playlist the listing names is read and stored with its items.
    expect((await rows(db(), 'playlist_items')).map((x) => x.raw_id)).toEqual(listedPlaylists.map((p) => p.id).sort());
    for (const [i, p] of listedPlaylists.entries()) expect(await same(db(), 'playlist_items', p.id, `raw_data->'items'`, items(contentsOf(i))), p.id).toBe(true);
  });

  it('a playlist listed without a snapshot_id is read (and read again each run), never taken as unchanged', async () => {
    await db().withSession(async (q) => {
      const [{ held }] = await q.query<{ held: boolean }>(`SELECT to_regclass('bronze_spotify') IS NOT NULL AS held`);
      if (held) await q.query('TRUNCATE bronze_spotify, bronze_spotify_latest');
      await q.query(`DELETE FROM bronze_state WHERE source = 'spotify'`);
    });
    // Edited here, not recorded: the first playlist without its snapshot_id (seen from Spotify in 2018, spotify/web-api#828).
    const body = JSON.parse(PLAYLISTS) as { items: Json[] };
    delete body.items[0].snapshot_id;
    const noSnapshot = JSON.stringify(body);
    const first = listedPlaylists[0].id as string;
    const load = (runs: number) =>
      server.load({
        expectAuthorization: `Bearer ${TOKEN}`,
        fixtures: [
          answer('playlists', '/v1/me/playlists', noSnapshot, { limit: '50' }, runs),
          answer('playlists, after the recorded page', '/v1/me/playlists', end('me/playlists', nextOffset(PLAYLISTS), 42), { limit: '50', offset: nextOffset(PLAYLISTS) }, runs),
          ...listedPlaylists.map((p, i) => answer(`items of ${p.id}`, `/v1/playlists/${p.id}/tracks`, contentsOf(i), { limit: '50' }, p.id === first ? runs : 1)),
        ],
      });
    const { tokenFile } = tokenRoot();
    load(2);
    for (let run = 1; run <= 2; run++) {
      const r = await ingest(db(), spotify, { env: apiEnv(server, tokenFile), logger: silentLogger(), streams: ['playlist_items'] });
      expect(r.status, r.errors.join('; ')).toBe('succeeded');
      expect(r.inserted, `run ${run}`).toBe(run === 1 ? listedPlaylists.length : 0);
    }
    // Its items were asked on both runs, the others' once (their snapshot_id did not change).
    server.verify();
    expect(await same(db(), 'playlist_items', first, `raw_data->'items'`, items(contentsOf(0)))).toBe(true);
  });
});
