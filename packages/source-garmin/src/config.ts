import { ConfigError, registerSecret, Type, type Static } from '@bronze/core';

export const GarminConfig = Type.Object({
  /** The OAuth2 token JSON saved by garth / python-garminconnect; relative to the project root. */
  tokenFile: Type.String({ minLength: 1 }),
  /** Days re-read before the last cursor each run: Garmin recomputes recent days. */
  overlapDays: Type.Integer({ minimum: 0, maximum: 60 }),
  /** First day read when a day-keyed stream has no cursor and no --since (YYYY-MM-DD). */
  startDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  /** Activities per page of the activity list. */
  pageSize: Type.Integer({ minimum: 1, maximum: 1000 }),
  /** Connect API base URL (GARMIN_BASE_URL), also used to sign the token exchange. */
  baseUrl: Type.String({ minLength: 1 }),
  /** Where garth gets the Connect app's OAuth consumer key; GARMIN_OAUTH_CONSUMER_KEY/_SECRET skip it. */
  consumerUrl: Type.String({ minLength: 1 }),
  consumerKey: Type.Optional(Type.String()),
  consumerSecret: Type.Optional(Type.String()),
});
export type GarminConfig = Static<typeof GarminConfig>;

export const DEFAULT_TOKEN_FILE = 'configs/credentials/garmin.json';
export const DEFAULT_BASE_URL = 'https://connectapi.garmin.com';
export const DEFAULT_CONSUMER_URL = 'https://thegarth.s3.amazonaws.com/oauth_consumer.json';

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number): number {
  const raw = env[key]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${key}: expected a whole number, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

function defaultStartDate(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
}

export function configureGarmin(env: NodeJS.ProcessEnv, options: Record<string, unknown>): GarminConfig {
  registerSecret(env.GARMIN_OAUTH_CONSUMER_SECRET?.trim());
  return {
    tokenFile: String(options.tokenFile ?? env.GARMIN_TOKEN_FILE?.trim() ?? DEFAULT_TOKEN_FILE) || DEFAULT_TOKEN_FILE,
    overlapDays: integer(env, 'GARMIN_OVERLAP_DAYS', 3),
    startDate: String(options.startDate ?? env.GARMIN_START_DATE?.trim() ?? '') || defaultStartDate(new Date()),
    pageSize: integer(env, 'GARMIN_PAGE_SIZE', 100),
    baseUrl: env.GARMIN_BASE_URL?.trim() || DEFAULT_BASE_URL,
    consumerUrl: env.GARMIN_OAUTH_CONSUMER_URL?.trim() || DEFAULT_CONSUMER_URL,
    ...(env.GARMIN_OAUTH_CONSUMER_KEY?.trim() ? { consumerKey: env.GARMIN_OAUTH_CONSUMER_KEY.trim() } : {}),
    ...(env.GARMIN_OAUTH_CONSUMER_SECRET?.trim() ? { consumerSecret: env.GARMIN_OAUTH_CONSUMER_SECRET.trim() } : {}),
  };
}
