import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, listOf } from '../day-streams.js';
import { garminInstant } from '../time.js';

type StepsDay = { calendarDate: string };

/** Daily steps, distance and step goal, read 28 days per request: one row per day. */
export const steps = (config: GarminConfig) =>
  defineApiStream<StepsDay>({
    name: 'steps',
    schema: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }),
    id: (r) => r.calendarDate,
    timestamp: (r) => garminInstant(r.calendarDate),
    request: ({ from, to }) => ({ path: `usersummary-service/stats/steps/daily/${from}/${to}` }),
    items: listOf,
    incremental: dayWindow<StepsDay>(config, { daysPerRequest: 28, day: (r) => r.calendarDate }),
  });
