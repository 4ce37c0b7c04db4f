import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, silentLogger, type BronzeDatabase, type IngestOptions } from '@bronze/core';
export { writeZip } from '@bronze/testkit';
import spotify from '../../src/index.js';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bronze-spotify-'));
}

/** The real extended-history sample's plays (4; the last two identical), as Spotify writes them. */
export const EXTENDED_PLAYS = JSON.parse(fixture('songprogress_ExtendedHistorySample.json')) as Record<string, unknown>[];

/** JSON written the way Spotify writes its export files (2-space indent). */
export const playsFile = (plays: unknown): string => `${JSON.stringify(plays, null, 2)}\n`;

/** One video play, shaped like the extended history's (Streaming_History_Video_*.json). */
export const VIDEO_PLAY = {
  ts: '2025-02-04T08:00:00Z', platform: 'android', ms_played: 61000, conn_country: 'AU', ip_addr: '124.169.222.142',
  master_metadata_track_name: null, master_metadata_album_artist_name: null, master_metadata_album_album_name: null, spotify_track_uri: null,
  episode_name: 'A video episode', episode_show_name: 'A video show', spotify_episode_uri: 'spotify:episode:7makk4oTQel546B0PZlDM5',
  audiobook_title: null, audiobook_uri: null, audiobook_chapter_uri: null, audiobook_chapter_title: null,
  reason_start: 'clickrow', reason_end: 'endplay', shuffle: false, skipped: false, offline: false, offline_timestamp: null, incognito_mode: false,
};

/**
 * Account data files shaped like Spotify's (field names from exports described in public
 * analysers; see fixtures/README.md), the history being the real sample.
 */
export function accountDataEntries(): Record<string, string | Buffer> {
  const dir = 'Spotify Account Data/';
  return {
    [`${dir}StreamingHistory_music_0.json`]: fixture('songprogress_HistorySample.json'),
    [`${dir}YourLibrary.json`]: playsFile({ tracks: [{ artist: 'Ginger Root', album: 'City Slicker', track: 'Loretta', uri: 'spotify:track:4ng4DjWCaGyK5bOoPfNDUq' }], albums: [], shows: [], episodes: [], bannedTracks: [], artists: [], bannedArtists: [], other: [] }),
    [`${dir}Playlist1.json`]: playsFile({ playlists: [{ name: 'RR', lastModifiedDate: '2025-07-31', collaborators: [], items: [{ track: { trackName: 'Loretta', artistName: 'Ginger Root', albumName: 'City Slicker', trackUri: 'spotify:track:4ng4DjWCaGyK5bOoPfNDUq' }, episode: null, audiobook: null, localTrack: null, addedDate: '2024-08-17' }] }] }),
    [`${dir}SearchQueries.json`]: playsFile([
      { platform: 'IPHONE', searchTime: '2025-04-27T20:01:02.003Z[UTC]', searchQuery: 'ginger root', searchInteractionURIs: ['spotify:track:4ng4DjWCaGyK5bOoPfNDUq'] },
      { platform: 'IPHONE', searchTime: '2025-04-27T20:03:10.511Z[UTC]', searchQuery: 'monobloc', searchInteractionURIs: [] },
    ]),
    [`${dir}Identity.json`]: playsFile({ displayName: 'listener', firstName: '', lastName: '', imageUrl: '', largeImageUrl: '', tasteMaker: false, verified: false }),
    [`${dir}notes-from-another-app.json`]: playsFile([{ note: 'not Spotify' }, { note: 'nor this' }]),
    [`${dir}Read_Me_First.pdf`]: Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n', 'latin1'),
  };
}

export function run(db: BronzeDatabase, files: string[], extra: Partial<IngestOptions> = {}) {
  return ingest(db, spotify, { files, logger: silentLogger(), env: {}, ...extra });
}

export async function rowsPerStream(db: BronzeDatabase): Promise<Record<string, number>> {
  const rows = await db.withSession((s) => s.query<{ stream: string; n: number }>('SELECT stream, count(*)::int AS n FROM bronze_spotify GROUP BY stream ORDER BY stream'));
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}
