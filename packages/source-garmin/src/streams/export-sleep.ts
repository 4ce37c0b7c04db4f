import { defineStream, Type } from '@bronze/core';
import { calendarDateOf, garminInstant } from '../time.js';

type SleepNight = Record<string, unknown>;

/** DI-Connect-Wellness/*_sleepData.json: one row per night, keyed by its calendar date. */
export const exportSleep = defineStream<SleepNight>({
  name: 'export_sleep',
  schema: Type.Object({ calendarDate: Type.Union([Type.String({ minLength: 1 }), Type.Object({ date: Type.String() })]) }, { additionalProperties: true }),
  id: (s) => calendarDateOf(s.calendarDate),
  timestamp: (s) => garminInstant(s.sleepStartTimestampGMT) ?? garminInstant(calendarDateOf(s.calendarDate)),
});
