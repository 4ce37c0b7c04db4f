import { emit, type Stream } from '@bronze/core';
import type { ActivityTally } from '../api/activity-tally.js';
import { readListedActivities, type ListedState, type SummaryActivity } from '../api/listed-activities.js';
import { ActivityRecord } from '../api/schemas.js';

/** Edits (rename, type, gear, crop) are usually made within days of the activity. */
export const OVERLAP_MS = 7 * 86_400_000;

/**
 * GET /athlete/activities (SummaryActivity), by start_date with `after` = cursor − 7 days: a
 * changed summary in the overlap is a new version. raw_id = the activity id, as in export_activities.
 */
export const activities = (tally: ActivityTally): Stream<any, ListedState> => ({
  name: 'activities',
  schema: ActivityRecord,
  id: (r) => String(r.id),
  timestamp: (r) => new Date(r.start_date),
  incremental: 'by-field',
  read: (args, ctx) =>
    readListedActivities(
      {
        overlapMs: OVERLAP_MS,
        changeKey: (a) => a,
        rows: async (_a, listed) => [emit(listed.record, listed.meta)],
        gearIds: tally.gearIds,
        onEnd: (s) => (tally.listed = s.count),
      },
      args,
      ctx,
    ),
});
