import { BronzeError, ConfigError, oauth2Auth, type AuthContext, type AuthorizeSpec, type AuthStrategy } from '@bronze/core';
import type { StravaConfig } from '../config.js';

/** The exact command that signs in again (shown whenever Strava refuses the tokens). */
export const RELOGIN = 'pnpm bronze auth strava';
export const SCOPES = ['read', 'activity:read_all'];

type Api = NonNullable<StravaConfig['api']>;

/** https://www.strava.com/oauth/token: STRAVA_TOKEN_URL, else the origin of the base URL (so a test server serves both). */
export function tokenUrl(config: StravaConfig): string {
  return config.api?.tokenUrl ?? new URL('/oauth/token', config.baseUrl).toString();
}

function authorizeUrl(config: StravaConfig): string {
  return new URL('/oauth/authorize', tokenUrl(config)).toString();
}

/** `bronze auth strava`: Strava's authorization code grant (a confidential client, comma-separated scopes). */
export function stravaAuthorize(config: StravaConfig): AuthorizeSpec {
  const api = requireApi(config);
  return {
    authorizeUrl: authorizeUrl(config),
    tokenUrl: tokenUrl(config),
    clientId: api.clientId,
    clientSecret: api.clientSecret,
    scopes: SCOPES,
    scopeSeparator: ',',
    extraParams: { approval_prompt: 'auto' },
    tokenFile: api.tokenFile,
  };
}

export function requireApi(config: StravaConfig): Api {
  if (!config.api) throw new ConfigError('strava: the API needs STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET (your API application at https://www.strava.com/settings/api)');
  return config.api;
}

/**
 * Core's OAuth2 (Strava rotates refresh tokens: the new one is on disk before it is used). A
 * refused renewal (the app was revoked, or the refresh token is dead) is not a usage mistake:
 * it ends the run with exit 1 and the one line naming the command that signs in again.
 */
export function stravaAuth(config: StravaConfig, a: AuthContext): AuthStrategy {
  if (!config.api) return { headers: async () => ({}) };
  const inner = oauth2Auth({ tokenFile: config.api.tokenFile, tokenUrl: tokenUrl(config), clientId: config.api.clientId, clientSecret: config.api.clientSecret, relogin: RELOGIN }, a);
  const refusal = async <T>(f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof ConfigError && /refused to renew/.test(err.message)) throw new BronzeError(err.message, 1, { cause: err });
      throw err;
    }
  };
  return { advice: inner.advice, headers: () => refusal(() => inner.headers()), renew: (why) => refusal(() => inner.renew!(why)) };
}
