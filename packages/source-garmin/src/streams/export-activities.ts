import { defineStream, Type } from '@bronze/core';
import { garminInstant } from '../time.js';

type SummarizedActivity = Record<string, unknown> & { activityId: number };

/** DI-Connect-Fitness/*_summarizedActivities.json: one row per activity. */
export const exportActivities = defineStream<SummarizedActivity>({
  name: 'export_activities',
  schema: Type.Object({ activityId: Type.Integer() }, { additionalProperties: true }),
  id: (a) => {
    if (a.activityId === undefined || a.activityId === null) throw new Error('activityId is missing');
    return String(a.activityId);
  },
  timestamp: (a) => garminInstant(a.beginTimestamp) ?? garminInstant(a.startTimeGmt),
});
