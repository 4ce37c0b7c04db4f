import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, objectIf } from '../day-streams.js';
import { garminInstant } from '../time.js';

type HeartRateDay = { calendarDate: string };

/** The day's heart rate samples (every 2 minutes) with min/max/resting: one row per day. */
export const heartRate = (config: GarminConfig) =>
  defineApiStream<HeartRateDay>({
    name: 'heart_rate',
    schema: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }),
    id: (r) => r.calendarDate,
    timestamp: (r) => garminInstant(r.calendarDate),
    request: ({ from }) => ({ path: 'wellness-service/wellness/dailyHeartRate/', query: { date: from } }),
    items: objectIf('calendarDate'),
    incremental: dayWindow(config),
  });
