import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, objectIf } from '../day-streams.js';
import { displayName } from '../display-name.js';
import { garminInstant } from '../time.js';

interface SleepDay {
  dailySleepDTO: { calendarDate: string; sleepStartTimestampGMT?: number };
}

/** The night ending on a day (stages, movement, SpO2, respiration, scores): one row per day. */
export const sleep = (config: GarminConfig) =>
  defineApiStream<SleepDay>({
    name: 'sleep',
    schema: Type.Object({ dailySleepDTO: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }) }, { additionalProperties: true }),
    id: (r) => r.dailySleepDTO.calendarDate,
    timestamp: (r) => garminInstant(r.dailySleepDTO.sleepStartTimestampGMT) ?? garminInstant(r.dailySleepDTO.calendarDate),
    request: async ({ from }, ctx) => ({ path: `wellness-service/wellness/dailySleepData/${encodeURIComponent(await displayName(ctx))}`, query: { date: from, nonSleepBufferMinutes: 60 } }),
    items: objectIf('dailySleepDTO'),
    incremental: dayWindow(config),
  });
