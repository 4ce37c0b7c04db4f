import { defineApiStream } from '@bronze/core';
import type { ActivityTally } from '../api/activity-tally.js';
import { activityListing, byStartDate, type SummaryActivity } from '../api/activity-listing.js';
import { ActivityRecord } from '../api/schemas.js';

/**
 * GET /athlete/activities (SummaryActivity), by start_date with `after` = cursor − 7 days: a
 * changed summary in the overlap is a new version. raw_id = the activity id, as in
 * export_activities. The state collects every gear_id listed (`gear`), committed with the
 * cursor: the gear stream needs them even after a quota stop in the middle of the listing.
 * A --since/--until re-read keeps no state (core's range read collects nothing), so every
 * listed gear_id also goes straight to this run's tally as its page arrives: a retired shoe
 * that /athlete no longer names (strava-ruby-client's recorded athlete and its November 2018
 * listing, test/api-recorded.test.ts) was otherwise never fetched by such a run.
 */
export const activities = (tally: ActivityTally) =>
  defineApiStream<SummaryActivity, SummaryActivity>({
    name: 'activities',
    schema: ActivityRecord,
    id: (r) => String(r.id),
    timestamp: (r) => new Date(r.start_date),
    ...activityListing,
    items: (body) => {
      if (Array.isArray(body)) for (const a of body as SummaryActivity[]) if (typeof a?.gear_id === 'string' && a.gear_id) tally.gearIds.add(a.gear_id);
      // The body as it came: anything but a list still fails the listing in core, as without this hook.
      return body as SummaryActivity[];
    },
    incremental: byStartDate((a) => a, {
      collect: { gear: (a) => a.gear_id },
      onEnd: (state) => {
        tally.listed = state.count;
        for (const id of (state.gear as string[] | undefined) ?? []) tally.gearIds.add(id);
      },
    }),
  });
