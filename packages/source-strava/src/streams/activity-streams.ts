import { emit, HttpError, type Stream } from '@bronze/core';
import { progressNote, type ActivityTally } from '../api/activity-tally.js';
import { readListedActivities, type ListedState, type SummaryActivity } from '../api/listed-activities.js';
import { StreamSetRecord } from '../api/schemas.js';
import { OVERLAP_MS } from './activities.js';

/** Deleted between the listing and this request: nothing to store, and nothing to ask again. */
export function gone(err: unknown): null {
  if (err instanceof HttpError && err.status === 404) return null;
  throw err;
}

/** Every stream type Strava has (StreamSet); an activity without a sensor simply lacks that key. */
export const STREAM_KEYS = 'time,latlng,distance,altitude,velocity_smooth,heartrate,cadence,watts,temp,moving,grade_smooth';

/**
 * GET /activities/{id}/streams?keys=…&key_by_type=true: the recorded samples, stored as Strava
 * sends them (an object keyed by type). Asked once per activity, again only when its start,
 * duration or distance changed (a crop). raw_id = the activity id (the body holds none).
 */
export const activityStreams = (tally: ActivityTally): Stream<any, ListedState> => ({
  name: 'activity_streams',
  schema: StreamSetRecord,
  id: () => {
    throw new Error('activity_streams rows carry their raw_id (the activity id)');
  },
  incremental: 'by-field',
  read: (args, ctx) =>
    readListedActivities(
      {
        overlapMs: OVERLAP_MS,
        changeKey: (a: SummaryActivity) => [a.start_date, a.elapsed_time, a.moving_time, a.distance],
        rows: async (a) => {
          // A manual activity has no samples: no request.
          if (a.manual === true) return [];
          const res = await ctx.http.json<Record<string, unknown> | null>({ path: `activities/${a.id}/streams`, query: { keys: STREAM_KEYS, key_by_type: true } }).catch(gone);
          if (!res) return [];
          return res.body ? [emit(res.body, { api: res.api, rawId: String(a.id), metadata: { activity_id: String(a.id), start_date: a.start_date } })] : [];
        },
        onEnd: (s) => ctx.note?.(`activity_streams: ${progressNote('streams', s.count ?? 0, tally, s.cursor)}`),
      },
      args,
      ctx,
    ),
});
