import { defineStream, Type } from '@bronze/core';
import { parseCalendarDay } from '../apple-date.js';
import type { XmlObject } from '../xml/elements.js';
import { open } from './schema-parts.js';

export const ActivitySummarySchema = Type.Object({ dateComponents: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }) }, open);

/**
 * `<ActivitySummary>`: one per day, identified by its day (dateComponents); the rings
 * of a day exported before it ended become a new version in a later export.
 */
export const activitySummaries = defineStream<XmlObject>({
  name: 'activity_summaries',
  schema: ActivitySummarySchema,
  id: (a) => a.dateComponents as string,
  timestamp: (a) => parseCalendarDay(a.dateComponents as string | undefined),
});
