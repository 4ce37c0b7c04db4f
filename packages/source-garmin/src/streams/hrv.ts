import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, objectIf } from '../day-streams.js';
import { garminInstant } from '../time.js';

interface HrvDay {
  hrvSummary: { calendarDate: string };
}

/** Overnight HRV: the day's summary and its 5-minute readings; one row per day. */
export const hrv = (config: GarminConfig) =>
  defineApiStream<HrvDay>({
    name: 'hrv',
    schema: Type.Object({ hrvSummary: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }) }, { additionalProperties: true }),
    id: (r) => r.hrvSummary.calendarDate,
    timestamp: (r) => garminInstant(r.hrvSummary.calendarDate),
    request: ({ from }) => ({ path: `hrv-service/hrv/${from}` }),
    items: objectIf('hrvSummary'),
    incremental: dayWindow(config),
  });
