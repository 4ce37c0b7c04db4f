import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream, objectIf } from './day-keyed.js';

/** The day's body battery and stress samples (wellness dailyStress, as garth reads body battery): one row per day. */
export const bodyBattery = (config: GarminConfig) =>
  dayKeyedStream<{ calendarDate: string }>({
    name: 'body_battery',
    schema: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }),
    perDay: (day) => ({ path: `wellness-service/wellness/dailyStress/${day}` }),
    items: objectIf('calendarDate'),
    day: (r) => r.calendarDate,
  }, config);
