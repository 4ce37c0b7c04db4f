import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream, objectIf } from './day-keyed.js';

/** Daily summary (steps, calories, intensity minutes, stress, body battery totals): one row per day. */
export const dailySummaries = (config: GarminConfig) =>
  dayKeyedStream<{ calendarDate: string }>({
    name: 'daily_summaries',
    schema: Type.Object({ calendarDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }, { additionalProperties: true }),
    perDay: (day) => ({ path: 'usersummary-service/usersummary/daily/', query: { calendarDate: day } }),
    items: objectIf('calendarDate'),
    day: (r) => r.calendarDate,
  }, config);
