import { defineApiStream, Type } from '@bronze/core';
import type { GarminConfig } from '../config.js';
import { dayWindow, objectIf } from '../day-streams.js';
import { garminInstant } from '../time.js';

type BodyBatteryDay = { calendarDate: string };

/** The day's body battery and stress samples (wellness dailyStress, as garth reads body battery): one row per day. */
export const bodyBattery = (config: GarminConfig) =>
  defineApiStream<BodyBatteryDay>({
    name: 'body_battery',
    schema: Type.Object({ calendarDate: Type.String() }, { additionalProperties: true }),
    id: (r) => r.calendarDate,
    timestamp: (r) => garminInstant(r.calendarDate),
    request: ({ from }) => ({ path: `wellness-service/wellness/dailyStress/${from}` }),
    items: objectIf('calendarDate'),
    incremental: dayWindow(config),
  });
