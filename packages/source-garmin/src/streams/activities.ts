import { defineApiStream, Type } from '@bronze/core';
import { activityListing, activityStart, type ListedActivity } from '../activity-listing.js';
import type { GarminConfig } from '../config.js';

/** The activity list entries (summary of each activity): one row per activity, by start time. */
export const activities = (config: GarminConfig) =>
  defineApiStream<ListedActivity, ListedActivity>({
    name: 'activities',
    schema: Type.Object({ activityId: Type.Integer(), startTimeGMT: Type.String() }, { additionalProperties: true }),
    id: (a) => String(a.activityId),
    timestamp: activityStart,
    ...activityListing(config),
  });
