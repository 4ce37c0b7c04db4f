import { DAY_MS, isoDay, type ByFieldKind, type HttpRequest, type Paging, type RequestParams } from '@bronze/core';
import type { GarminConfig } from './config.js';
import { garminInstant } from './time.js';

export interface ListedActivity {
  activityId: number;
  startTimeGMT?: string;
  [key: string]: unknown;
}

/** An activity's start: the list entry's startTimeGMT, or the detail's summaryDTO.startTimeGMT (both UTC without a zone). */
export function activityStart(a: { startTimeGMT?: unknown; summaryDTO?: { startTimeGMT?: unknown } }): Date | undefined {
  return garminInstant(a.startTimeGMT) ?? garminInstant(a.summaryDTO?.startTimeGMT);
}

/**
 * The activity list, shared by `activities` and `activity_details` (each with its own cursor):
 * offset-paged, newest first, filtered by calendar day. The cursor is the latest start time;
 * each run asks from its day minus GARMIN_OVERLAP_DAYS, --since/--until as given.
 */
export function activityListing(config: GarminConfig): {
  request: (p: RequestParams) => HttpRequest;
  paging: Exclude<Paging, { type: 'windows' }>;
  incremental: ByFieldKind<ListedActivity>;
} {
  return {
    request: (p) => ({
      path: 'activitylist-service/activities/search/activities',
      query: {
        startDate: p.after instanceof Date ? isoDay(p.after) : undefined,
        // --until is exclusive; Garmin's endDate is a day included.
        endDate: p.until ? isoDay(new Date(p.until.getTime() - 1)) : undefined,
      },
    }),
    paging: { type: 'offset', size: config.pageSize, offsetParam: 'start', limitParam: 'limit' },
    incremental: { kind: 'by-field', field: activityStart, order: 'descending', overlapMs: config.overlapDays * DAY_MS },
  };
}
