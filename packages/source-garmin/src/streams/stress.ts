import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream, listOf } from './day-keyed.js';

/** Daily stress levels and durations, read 28 days per request: one row per day. */
export const stress = (config: GarminConfig) =>
  dayKeyedStream<{ calendarDate: string }>({
    name: 'stress',
    schema: Type.Object({ calendarDate: Type.String(), values: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }, { additionalProperties: true }),
    range: { maxDays: 28, request: (from, to) => ({ path: `usersummary-service/stats/stress/daily/${from}/${to}` }) },
    items: listOf,
    day: (r) => r.calendarDate,
  }, config);
