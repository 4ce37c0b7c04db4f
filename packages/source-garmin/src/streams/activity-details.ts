import { defineStream, emit, Type } from '@bronze/core';
import { activityStart, laterState, listActivities, type ActivityState } from '../activity-list.js';
import { garminJson } from '../client.js';
import type { GarminConfig } from '../config.js';

interface ActivityDetail {
  activityId: number;
  summaryDTO?: { startTimeGMT?: string };
  [key: string]: unknown;
}

/**
 * The full activity record (summaryDTO, metadata, splits…) for each activity listed since
 * this stream's own cursor: one request per new (or recent, re-read) activity.
 */
export const activityDetails = (config: GarminConfig) =>
  defineStream<ActivityDetail, ActivityState>({
    name: 'activity_details',
    schema: Type.Object({ activityId: Type.Integer(), summaryDTO: Type.Optional(Type.Object({}, { additionalProperties: true })) }, { additionalProperties: true }),
    id: (a) => String(a.activityId),
    timestamp: activityStart,
    async *read(args, ctx) {
      for (const listed of await listActivities(config, ctx, args)) {
        if (ctx.signal.aborted) return;
        const res = await garminJson<ActivityDetail>(config, ctx, { path: `activity-service/activity/${listed.record.activityId}` });
        if (res.body) yield emit(res.body, { api: res.api });
      }
    },
    nextState: (state, a) => laterState(state, activityStart(a)) as ActivityState,
  });
