import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, objectIf } from '../day-streams.js';
import { garminInstant } from '../time.js';

type DailySummary = { calendarDate: string };

/** Daily summary (steps, calories, intensity minutes, stress, body battery totals): one row per day. */
export const dailySummaries = (config: GarminConfig) =>
  defineApiStream<DailySummary>({
    name: 'daily_summaries',
    schema: Type.Object({ calendarDate: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }, { additionalProperties: true }),
    id: (r) => r.calendarDate,
    timestamp: (r) => garminInstant(r.calendarDate),
    request: ({ from }) => ({ path: 'usersummary-service/usersummary/daily/', query: { calendarDate: from } }),
    items: objectIf('calendarDate'),
    incremental: dayWindow(config),
  });
