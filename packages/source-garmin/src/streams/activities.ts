import { defineStream, Type } from '@bronze/core';
import { activityStart, laterState, listActivities, type ActivityState, type ListedActivity } from '../activity-list.js';
import type { GarminConfig } from '../config.js';

/** The activity list entries (summary of each activity): one row per activity, incremental by start time. */
export const activities = (config: GarminConfig) =>
  defineStream<ListedActivity, ActivityState>({
    name: 'activities',
    schema: Type.Object({ activityId: Type.Integer(), startTimeGMT: Type.String() }, { additionalProperties: true }),
    id: (a) => String(a.activityId),
    timestamp: activityStart,
    async *read(args, ctx) {
      yield* await listActivities(config, ctx, args);
    },
    nextState: (state, a) => laterState(state, activityStart(a)) as ActivityState,
  });
