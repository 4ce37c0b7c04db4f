import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { garminInstant } from '../time.js';
import { dayKeyedStream, objectIf } from './day-keyed.js';

interface SleepDay {
  dailySleepDTO: { calendarDate: string; sleepStartTimestampGMT?: number };
}

/** The night ending on a day (stages, movement, SpO2, respiration, scores): one row per day. */
export const sleep = (config: GarminConfig) =>
  dayKeyedStream<SleepDay>({
    name: 'sleep',
    schema: Type.Object({ dailySleepDTO: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }) }, { additionalProperties: true }),
    perDay: (day, name) => ({ path: `wellness-service/wellness/dailySleepData/${encodeURIComponent(name)}`, query: { date: day, nonSleepBufferMinutes: 60 } }),
    needsDisplayName: true,
    items: objectIf('dailySleepDTO'),
    day: (r) => r.dailySleepDTO.calendarDate,
    timestamp: (r) => garminInstant(r.dailySleepDTO.sleepStartTimestampGMT) ?? garminInstant(r.dailySleepDTO.calendarDate),
  }, config);
