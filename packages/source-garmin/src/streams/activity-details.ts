import { defineApiStream, Type } from '@bronze/core';
import { activityListing, activityStart, type ListedActivity } from '../activity-listing.js';
import type { GarminConfig } from '../config.js';

interface ActivityDetail {
  activityId: number;
  summaryDTO?: { startTimeGMT?: string };
  [key: string]: unknown;
}

/**
 * The full activity record (summaryDTO, metadata, splits…) of each activity listed since this
 * stream's own cursor: one request per new (or recent, re-read) activity.
 */
export const activityDetails = (config: GarminConfig) =>
  defineApiStream<ActivityDetail, ListedActivity>({
    name: 'activity_details',
    schema: Type.Object({ activityId: Type.Integer(), summaryDTO: Type.Optional(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
    id: (a) => String(a.activityId),
    timestamp: activityStart,
    ...activityListing(config),
    detail: { request: (listed) => ({ path: `activity-service/activity/${listed.activityId}` }) },
  });
