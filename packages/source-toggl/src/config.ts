import { ConfigError, registerSecret, requireEnv, Type, type Static } from '@bronze/core';

export const TogglConfig = Type.Object(
  {
    apiToken: Type.String({ minLength: 1, description: 'Toggl Track API token (TOGGL_API_TOKEN); a secret' }),
    startDate: Type.String({ minLength: 1, description: 'first instant the time_entries backfill asks for (TOGGL_START_DATE)' }),
    windowDays: Type.Integer({ minimum: 1, maximum: 92, description: 'days per backfill request (TOGGL_WINDOW_DAYS)' }),
  },
  { additionalProperties: false },
);
export type TogglConfig = Static<typeof TogglConfig>;

const DEFAULT_WINDOW_DAYS = 30;

/** Two years before `now`, at midnight UTC: the default backfill start. */
export function defaultStartDate(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear() - 2, now.getUTCMonth(), now.getUTCDate()));
}

function parseStartDate(value: string): Date {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ConfigError(`TOGGL_START_DATE: ${JSON.stringify(value)} is not a date (use YYYY-MM-DD or an ISO 8601 instant)`);
  return d;
}

export function configureToggl(env: NodeJS.ProcessEnv, _options: Record<string, unknown>, now = new Date()): TogglConfig {
  const apiToken = requireEnv('TOGGL_API_TOKEN', env, 'find it at https://track.toggl.com/profile under "API Token"');
  registerSecret(apiToken);
  const start = env.TOGGL_START_DATE?.trim() ? parseStartDate(env.TOGGL_START_DATE.trim()) : defaultStartDate(now);
  const windowText = env.TOGGL_WINDOW_DAYS?.trim();
  const windowDays = windowText ? Number(windowText) : DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(windowDays) || windowDays < 1 || windowDays > 92) {
    throw new ConfigError(`TOGGL_WINDOW_DAYS: ${JSON.stringify(windowText)} must be a whole number of days from 1 to 92`);
  }
  return { apiToken, startDate: start.toISOString(), windowDays };
}
