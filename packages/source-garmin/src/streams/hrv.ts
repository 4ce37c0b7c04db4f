import { Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayKeyedStream, objectIf } from './day-keyed.js';

interface HrvDay {
  hrvSummary: { calendarDate: string };
}

/** Overnight HRV: the day's summary and its 5-minute readings; one row per day. */
export const hrv = (config: GarminConfig) =>
  dayKeyedStream<HrvDay>({
    name: 'hrv',
    schema: Type.Object({ hrvSummary: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }) }, { additionalProperties: true }),
    perDay: (day) => ({ path: `hrv-service/hrv/${day}` }),
    items: objectIf('hrvSummary'),
    day: (r) => r.hrvSummary.calendarDate,
  }, config);
