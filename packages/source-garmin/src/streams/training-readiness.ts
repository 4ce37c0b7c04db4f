import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, listOf } from '../day-streams.js';
import { garminInstant } from '../time.js';

interface Readiness {
  calendarDate: string;
  timestamp?: string;
}

/** Training readiness: a day can hold several (on waking, after activities); one row per reading. */
export const trainingReadiness = (config: GarminConfig) =>
  defineApiStream<Readiness>({
    name: 'training_readiness',
    schema: Type.Object({ calendarDate: Type.String(), timestamp: Type.Optional(Type.String()) }, { additionalProperties: true }),
    id: (r) => `${r.calendarDate}|${r.timestamp ?? ''}`,
    timestamp: (r) => garminInstant(r.timestamp) ?? garminInstant(r.calendarDate),
    request: ({ from }) => ({ path: `metrics-service/metrics/trainingreadiness/${from}` }),
    items: listOf,
    incremental: dayWindow(config),
  });
