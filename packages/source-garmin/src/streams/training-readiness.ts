import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { garminInstant } from '../time.js';
import { dayKeyedStream, listOf } from './day-keyed.js';

interface Readiness {
  calendarDate: string;
  timestamp?: string;
}

/** Training readiness: a day can hold several (on waking, after activities); one row per reading. */
export const trainingReadiness = (config: GarminConfig) =>
  dayKeyedStream<Readiness>({
    name: 'training_readiness',
    schema: Type.Object({ calendarDate: Type.String(), timestamp: Type.Optional(Type.String()) }, { additionalProperties: true }),
    perDay: (day) => ({ path: `metrics-service/metrics/trainingreadiness/${day}` }),
    items: listOf,
    day: (r) => r.calendarDate,
    id: (r) => `${r.calendarDate}|${r.timestamp ?? ''}`,
    timestamp: (r) => garminInstant(r.timestamp) ?? garminInstant(r.calendarDate),
  }, config);
