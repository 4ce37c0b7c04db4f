import { defineApiStream, emit } from '@bronze/core';
import { progressNote, type ActivityTally } from '../api/activity-tally.js';
import { activityListing, byStartDate, type SummaryActivity } from '../api/activity-listing.js';
import { StreamSetRecord } from '../api/schemas.js';

/** Every stream type Strava has (StreamSet); an activity without a sensor simply lacks that key. */
export const STREAM_KEYS = 'time,latlng,distance,altitude,velocity_smooth,heartrate,cadence,watts,temp,moving,grade_smooth';

/**
 * GET /activities/{id}/streams?keys=…&key_by_type=true: the recorded samples, stored as Strava
 * sends them (an object keyed by type). Asked once per activity, again only when its start,
 * duration or distance changed (a crop); never for a manual activity (no samples); a 404
 * stores nothing. raw_id = the activity id (the body holds none: it rides in the row's meta).
 */
export const activityStreams = (tally: ActivityTally) =>
  defineApiStream<Record<string, unknown>, SummaryActivity>({
    name: 'activity_streams',
    schema: StreamSetRecord,
    // Read on the listed summary (what the cursor's `seen` keeps); the stored rows carry it as raw_id.
    id: (r) => r.id,
    ...activityListing,
    detail: {
      request: (a) => (a.manual === true ? undefined : { path: `activities/${a.id}/streams`, query: { keys: STREAM_KEYS, key_by_type: true } }),
      items: (body, _res, a) => (body ? [emit(body, { rawId: String(a.id), metadata: { activity_id: String(a.id), start_date: a.start_date } })] : []),
      skipNotFound: true,
    },
    incremental: byStartDate((a) => [a.start_date, a.elapsed_time, a.moving_time, a.distance], {
      onEnd: (s, ctx) => ctx.note?.(`activity_streams: ${progressNote('streams', s.count ?? 0, tally, s.cursor)}`),
    }),
  });
