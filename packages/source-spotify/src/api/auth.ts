import { ConfigError, oauth2Auth, type AuthContext, type AuthorizeSpec, type AuthStrategy, type SourceContext } from '@bronze/core';
import { DEFAULT_TOKEN_FILE, type SpotifyConfig } from '../config.js';

/** What the user runs when the tokens are gone or refused. */
export const SPOTIFY_RELOGIN = 'pnpm bronze auth spotify';

/** Read-only scopes, one per API stream family (recently played, library, playlists, top items). */
export const SPOTIFY_SCOPES = ['user-read-recently-played', 'user-library-read', 'playlist-read-private', 'playlist-read-collaborative', 'user-top-read'];

const tokenUrl = (config: SpotifyConfig) => `${config.accountsUrl}/api/token`;

/**
 * Bearer tokens from the token file, renewed with the refresh grant of a PKCE public client
 * (client_id, no secret). Spotify may return a new refresh token on each renewal: core writes
 * it (0600) before the new access token is used.
 */
export function spotifyAuth(config: SpotifyConfig, a: AuthContext): AuthStrategy {
  return oauth2Auth({ tokenFile: config.api?.tokenFile ?? DEFAULT_TOKEN_FILE, tokenUrl: tokenUrl(config), clientId: config.api?.clientId, relogin: SPOTIFY_RELOGIN }, a);
}

/** The one-time sign-in of `bronze auth spotify`: authorization code with PKCE (RFC 7636, S256). */
export function spotifyAuthorize(config: SpotifyConfig): AuthorizeSpec {
  if (!config.api) throw new ConfigError('spotify: set SPOTIFY_CLIENT_ID (the Client ID of your app at developer.spotify.com/dashboard) before `bronze auth spotify`');
  return {
    authorizeUrl: `${config.accountsUrl}/authorize`,
    tokenUrl: tokenUrl(config),
    clientId: config.api.clientId,
    scopes: SPOTIFY_SCOPES,
    pkce: true,
    tokenFile: config.api.tokenFile,
  };
}

/** `bronze check spotify`: GET /me with the stored tokens (renewing them if need be). */
export async function checkSpotify(config: SpotifyConfig, ctx: SourceContext): Promise<string> {
  if (!config.api) throw new ConfigError('spotify: SPOTIFY_CLIENT_ID is not set; the exports need nothing, the Web API needs it (README: "Web API set-up")');
  const { body: me } = await ctx.http.json<{ id: string; display_name?: string | null; product?: string }>({ path: 'me' });
  return `Spotify token OK: signed in as ${me.display_name ?? me.id} (user ${me.id}${me.product ? `, ${me.product}` : ''})`;
}
