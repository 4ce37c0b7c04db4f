import { defineSource, type Stream } from '@bronze/core';
import { configureSpotify, DEFAULT_BASE_URL, SpotifyConfig } from './config.js';
import { spotifyFiles } from './files.js';
import { accountStreams } from './streams/account.js';
import { other } from './streams/other.js';
import { playStreams } from './streams/plays.js';

/** Streams fed by --file: the exports. The Web API streams (recently_played, saved_tracks…) come later, beside these. */
export const exportStreams: Stream[] = [...playStreams, ...accountStreams, other];

export default defineSource({
  name: 'spotify',
  version: '0.1.0',
  description: 'Spotify: the account data and extended streaming history exports (every play, library, playlists, searches…).',
  config: SpotifyConfig,
  configure: configureSpotify,
  streams: () => exportStreams,
  files: spotifyFiles,
  // The Web API streams will be built on this base URL (SPOTIFY_BASE_URL overrides it).
  baseUrl: DEFAULT_BASE_URL,
});

export { SpotifyConfig, configureSpotify } from './config.js';
export { ACCOUNT_FILES, classifyFile } from './export-layout.js';
export { accountPlayId, extendedPlayId } from './play-ids.js';
