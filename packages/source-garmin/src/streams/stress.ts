import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, listOf } from '../day-streams.js';
import { garminInstant } from '../time.js';

type StressDay = { calendarDate: string };

/** Daily stress levels and durations, read 28 days per request: one row per day. */
export const stress = (config: GarminConfig) =>
  defineApiStream<StressDay>({
    name: 'stress',
    schema: Type.Object({ calendarDate: Type.String(), values: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: true }),
    id: (r) => r.calendarDate,
    timestamp: (r) => garminInstant(r.calendarDate),
    request: ({ from, to }) => ({ path: `usersummary-service/stats/stress/daily/${from}/${to}` }),
    items: listOf,
    incremental: dayWindow<StressDay>(config, { daysPerRequest: 28, day: (r) => r.calendarDate }),
  });
