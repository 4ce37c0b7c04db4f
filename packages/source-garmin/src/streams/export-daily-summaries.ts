import { defineStream, Type } from '@bronze/core';
import { calendarDateOf, garminInstant } from '../time.js';

type DailySummary = Record<string, unknown>;

/** DI-Connect-Aggregator/UDSFile_*.json (user daily summaries): one row per day. */
export const exportDailySummaries = defineStream<DailySummary>({
  name: 'export_daily_summaries',
  schema: Type.Object({ calendarDate: Type.Union([Type.String({ minLength: 1 }), Type.Object({ date: Type.String() })]) }, { additionalProperties: true }),
  id: (d) => calendarDateOf(d.calendarDate),
  timestamp: (d) => garminInstant(calendarDateOf(d.calendarDate)),
});
