import { Type, type Static } from '@bronze/core';

/**
 * Importing the exports needs nothing configured: `bronze ingest spotify --file
 * my_spotify_data.zip` runs with an empty .env. `api` is present only when SPOTIFY_CLIENT_ID
 * is set (the Web API uses PKCE: no client secret); without it the API streams read nothing
 * and say so in the run summary (src/api/unconfigured.ts).
 */
export const SpotifyConfig = Type.Object({
  /** Spotify Web API base URL (SPOTIFY_BASE_URL): proxies, tests. */
  baseUrl: Type.String({ minLength: 1 }),
  /** The Spotify Accounts service (SPOTIFY_ACCOUNTS_URL): /authorize and /api/token; tests point it at a local server. */
  accountsUrl: Type.String({ minLength: 1 }),
  api: Type.Optional(
    Type.Object({
      clientId: Type.String({ minLength: 1 }),
      /** Where the rotating OAuth2 tokens are kept (0600), relative to the project root. */
      tokenFile: Type.String({ minLength: 1 }),
    }),
  ),
});
export type SpotifyConfig = Static<typeof SpotifyConfig>;

export const DEFAULT_BASE_URL = 'https://api.spotify.com/v1';
export const DEFAULT_ACCOUNTS_URL = 'https://accounts.spotify.com';
export const DEFAULT_TOKEN_FILE = 'configs/credentials/spotify.json';

export function configureSpotify(env: NodeJS.ProcessEnv): SpotifyConfig {
  const clientId = env.SPOTIFY_CLIENT_ID?.trim();
  return {
    baseUrl: env.SPOTIFY_BASE_URL?.trim() || DEFAULT_BASE_URL,
    accountsUrl: (env.SPOTIFY_ACCOUNTS_URL?.trim() || DEFAULT_ACCOUNTS_URL).replace(/\/+$/, ''),
    ...(clientId ? { api: { clientId, tokenFile: env.SPOTIFY_TOKEN_FILE?.trim() || DEFAULT_TOKEN_FILE } } : {}),
  };
}
