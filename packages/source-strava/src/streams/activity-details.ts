import { emit, type Stream } from '@bronze/core';
import { progressNote, type ActivityTally } from '../api/activity-tally.js';
import { readListedActivities, type ListedState, type SummaryActivity } from '../api/listed-activities.js';
import { ActivityRecord } from '../api/schemas.js';
import { OVERLAP_MS } from './activities.js';
import { gone } from './activity-streams.js';

// Social counters change on their own and are no edit of the activity: no new request for them.
const SOCIAL = new Set(['kudos_count', 'comment_count', 'athlete_count', 'photo_count', 'total_photo_count', 'achievement_count', 'pr_count', 'has_kudoed']);

/**
 * GET /activities/{id} (DetailedActivity: laps, splits, segment and best efforts, gear,
 * description), one request per activity that is new or whose summary changed (social counters
 * aside). raw_id = the activity id.
 */
export const activityDetails = (tally: ActivityTally): Stream<any, ListedState> => ({
  name: 'activity_details',
  schema: ActivityRecord,
  id: (r) => String(r.id),
  timestamp: (r) => new Date(r.start_date),
  incremental: 'by-field',
  read: (args, ctx) =>
    readListedActivities(
      {
        overlapMs: OVERLAP_MS,
        changeKey: (a) => Object.fromEntries(Object.entries(a).filter(([k]) => !SOCIAL.has(k))),
        rows: async (a) => {
          const res = await ctx.http.json<SummaryActivity | null>({ path: `activities/${a.id}`, query: { include_all_efforts: true } }).catch(gone);
          return res?.body ? [emit(res.body, { api: res.api })] : [];
        },
        onEnd: (s) => ctx.note?.(`activity_details: ${progressNote('details', s.count ?? 0, tally, s.cursor)}`),
      },
      args,
      ctx,
    ),
});
