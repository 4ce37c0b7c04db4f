import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream, objectIf } from './day-keyed.js';

/** The day's heart rate samples (every 2 minutes) with min/max/resting: one row per day. */
export const heartRate = (config: GarminConfig) =>
  dayKeyedStream<{ calendarDate: string }>({
    name: 'heart_rate',
    schema: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }),
    perDay: (day) => ({ path: 'wellness-service/wellness/dailyHeartRate/', query: { date: day } }),
    items: objectIf('calendarDate'),
    day: (r) => r.calendarDate,
  }, config);
