import { defineSource, type Stream } from '@bronze/core';
import { checkSpotify, spotifyAuth, spotifyAuthorize } from './api/auth.js';
import { whenConfigured } from './api/unconfigured.js';
import { configureSpotify, DEFAULT_BASE_URL, SpotifyConfig } from './config.js';
import { spotifyFiles } from './files.js';
import { accountStreams } from './streams/account.js';
import { other } from './streams/other.js';
import { playStreams } from './streams/plays.js';
import { playlistItems } from './streams/playlist-items.js';
import { playlists } from './streams/playlists.js';
import { recentlyPlayed } from './streams/recently-played.js';
import { savedTracks } from './streams/saved-tracks.js';
import { topItems } from './streams/top-items.js';

/** Streams fed by --file: the exports. */
export const exportStreams: Stream[] = [...playStreams, ...accountStreams, other];

/** Streams read from the Web API (`bronze ingest spotify` without --file), once SPOTIFY_CLIENT_ID is set and `bronze auth spotify` was run. */
export const apiStreams: Stream[] = [recentlyPlayed, savedTracks, playlists, playlistItems, topItems];

export default defineSource({
  name: 'spotify',
  version: '0.2.0',
  description: 'Spotify: the account data and extended streaming history exports (every play, library, playlists, searches…), and the Web API (recently played, saved tracks, playlists, top items).',
  config: SpotifyConfig,
  configure: configureSpotify,
  streams: (config) => [...exportStreams, ...whenConfigured(config, apiStreams)],
  files: spotifyFiles,
  baseUrl: DEFAULT_BASE_URL,
  // Spotify publishes no numbers (a rolling 30 s window per app); a 429 carries Retry-After,
  // which ctx.http honours (up to 15 minutes; a longer one stops the run with the cursors saved).
  apiUnavailable: (config) => (config.api ? undefined : 'SPOTIFY_CLIENT_ID is not set (the exports need nothing; see the README)'),
  auth: spotifyAuth,
  authorize: spotifyAuthorize,
  check: checkSpotify,
  httpAdvice: { 429: 'Spotify rate-limits per app over a rolling 30 s window; an app in development mode has a lower quota' },
});

export { SpotifyConfig, configureSpotify } from './config.js';
export { SPOTIFY_RELOGIN, SPOTIFY_SCOPES } from './api/auth.js';
export { NOT_CONFIGURED } from './api/unconfigured.js';
export { ACCOUNT_FILES, classifyFile } from './export-layout.js';
export { accountPlayId, extendedPlayId } from './play-ids.js';
