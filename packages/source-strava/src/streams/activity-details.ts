import { defineApiStream } from '@bronze/core';
import { progressNote, type ActivityTally } from '../api/activity-tally.js';
import { activityListing, byStartDate, type SummaryActivity } from '../api/activity-listing.js';
import { ActivityRecord } from '../api/schemas.js';

// Social counters change on their own and are no edit of the activity: no new request for them.
const SOCIAL = new Set(['kudos_count', 'comment_count', 'athlete_count', 'photo_count', 'total_photo_count', 'achievement_count', 'pr_count', 'has_kudoed']);

/**
 * GET /activities/{id} (DetailedActivity: laps, splits, segment and best efforts, gear,
 * description), one request per activity that is new or whose summary changed (social counters
 * aside); a 404 (deleted since it was listed) stores nothing and is not asked again.
 * raw_id = the activity id.
 */
export const activityDetails = (tally: ActivityTally) =>
  defineApiStream<SummaryActivity, SummaryActivity>({
    name: 'activity_details',
    schema: ActivityRecord,
    id: (r) => String(r.id),
    timestamp: (r) => new Date(r.start_date),
    ...activityListing,
    detail: { request: (a) => ({ path: `activities/${a.id}`, query: { include_all_efforts: true } }), skipNotFound: true },
    incremental: byStartDate((a) => Object.fromEntries(Object.entries(a).filter(([k]) => !SOCIAL.has(k))), {
      onEnd: (s, ctx) => ctx.note?.(`activity_details: ${progressNote('details', s.count ?? 0, tally, s.cursor)}`),
    }),
  });
