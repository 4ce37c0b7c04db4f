import { registerSecret, Type, type Static } from '@bronze/core';

/**
 * Importing the account export needs nothing configured: every key here is optional or has
 * a default, so `bronze ingest strava --file export_12345.zip` runs with an empty .env.
 * `api` is present only when STRAVA_CLIENT_ID and STRAVA_CLIENT_SECRET are set; the API
 * streams read it and are skipped with a note when it is absent.
 */
export const StravaConfig = Type.Object({
  /** Strava API v3 base URL (STRAVA_BASE_URL): proxies, tests. */
  baseUrl: Type.String({ minLength: 1 }),
  api: Type.Optional(
    Type.Object({
      clientId: Type.String({ minLength: 1 }),
      clientSecret: Type.String({ minLength: 1 }),
      /** Where the rotating OAuth2 tokens are kept (0600), relative to the project root. */
      tokenFile: Type.String({ minLength: 1 }),
      /** STRAVA_TOKEN_URL; default /oauth/token on the base URL's origin. */
      tokenUrl: Type.Optional(Type.String({ minLength: 1 })),
    }),
  ),
});
export type StravaConfig = Static<typeof StravaConfig>;

export const DEFAULT_BASE_URL = 'https://www.strava.com/api/v3';
export const DEFAULT_TOKEN_FILE = 'configs/credentials/strava.json';

export function configureStrava(env: NodeJS.ProcessEnv): StravaConfig {
  const clientId = env.STRAVA_CLIENT_ID?.trim();
  const clientSecret = env.STRAVA_CLIENT_SECRET?.trim();
  registerSecret(clientSecret);
  const tokenUrl = env.STRAVA_TOKEN_URL?.trim();
  return {
    baseUrl: env.STRAVA_BASE_URL?.trim() || DEFAULT_BASE_URL,
    ...(clientId && clientSecret ? { api: { clientId, clientSecret, tokenFile: env.STRAVA_TOKEN_FILE?.trim() || DEFAULT_TOKEN_FILE, ...(tokenUrl ? { tokenUrl } : {}) } } : {}),
  };
}
