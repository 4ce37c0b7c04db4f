import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ingest, silentLogger, type BronzeDatabase, type IngestOptions, type OAuth2Tokens } from '@bronze/core';
import spotify from '../../src/index.js';
import { tempDir } from './exports.js';
import type { SpotifyApi } from './spotify-api.js';

export const CLIENT_ID = 'spotify-test-client-id';

/** A project root with a token file (0600) as `bronze auth spotify` leaves it. */
export function tokenRoot(tokens: OAuth2Tokens = { access_token: 'initial-access-token-abcdef', refresh_token: 'initial-refresh-token-abcdef', token_type: 'Bearer', expires_at: Math.floor(Date.now() / 1000) + 10 * 365 * 86400 }) {
  const root = tempDir();
  const tokenFile = join(root, 'configs/credentials/spotify.json');
  mkdirSync(dirname(tokenFile), { recursive: true });
  writeFileSync(tokenFile, JSON.stringify(tokens), { mode: 0o600 });
  return { root, tokenFile };
}

/** The environment of an API run against the local Spotify. */
export const apiEnv = (api: { url: string }, tokenFile: string, root = dirname(dirname(dirname(tokenFile)))): NodeJS.ProcessEnv => ({
  SPOTIFY_CLIENT_ID: CLIENT_ID,
  SPOTIFY_BASE_URL: `${api.url}/v1`,
  SPOTIFY_ACCOUNTS_URL: api.url,
  SPOTIFY_TOKEN_FILE: tokenFile,
  BRONZE_HOME: root,
});

export const runApi = (db: BronzeDatabase, api: SpotifyApi, tokenFile: string, o: Partial<IngestOptions> = {}) =>
  ingest(db, spotify, { env: apiEnv(api, tokenFile), logger: silentLogger(), ...o });
