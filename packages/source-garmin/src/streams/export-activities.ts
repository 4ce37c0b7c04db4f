import { defineStream, Type } from '@bronze/core';
import { garminInstant } from '../time.js';

type SummarizedActivity = Record<string, unknown> & { activityId: number };

/** DI-Connect-Fitness/*_summarizedActivities.json: one row per activity. */
export const exportActivities = defineStream<SummarizedActivity>({
  name: 'export_activities',
  schema: Type.Object({ activityId: Type.Integer() }, { additionalProperties: true }),
  id: (a) => {
    if (a.activityId === undefined || a.activityId === null) throw new Error('activityId is missing');
    // The value itself: core refuses a boolean or object id instead of merging `true` and "true".
    return a.activityId;
  },
  timestamp: (a) => garminInstant(a.beginTimestamp) ?? garminInstant(a.startTimeGmt),
});
