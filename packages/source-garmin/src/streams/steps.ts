import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream, listOf } from './day-keyed.js';

/** Daily steps, distance and step goal, read 28 days per request: one row per day. */
export const steps = (config: GarminConfig) =>
  dayKeyedStream<{ calendarDate: string }>({
    name: 'steps',
    schema: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }),
    range: { maxDays: 28, request: (from, to) => ({ path: `usersummary-service/stats/steps/daily/${from}/${to}` }) },
    items: listOf,
    day: (r) => r.calendarDate,
  }, config);
