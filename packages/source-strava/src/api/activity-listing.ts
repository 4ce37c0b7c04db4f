import type { ApiStreamSpec, ByFieldKind, RequestParams } from '@bronze/core';

/** A summary of GET /athlete/activities (SummaryActivity): what the per-activity streams start from. */
export interface SummaryActivity {
  id: number | string;
  start_date: string;
  gear_id?: string | null;
  manual?: boolean;
  [key: string]: unknown;
}

/** Edits (rename, type, gear, crop) are usually made within days of the activity. */
export const OVERLAP_MS = 7 * 86_400_000;

const PAGE = 200; // Strava's largest per_page
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * The listing the three activity streams walk: /athlete/activities?after=(cursor − 7 days),
 * which Strava returns oldest first, so the cursor commits with every activity and a run
 * stopped by the quota or Ctrl-C resumes at the next one (core checks the order and fails
 * rather than move the cursor past an activity listed out of order). `--until` is `before`.
 */
export const activityListing: Pick<ApiStreamSpec<unknown, SummaryActivity>, 'request' | 'paging'> = {
  request: ({ after, until }: RequestParams) => ({ path: 'athlete/activities', query: { after: after instanceof Date ? epoch(after) : 0, before: until ? epoch(until) : undefined } }),
  paging: { type: 'page', size: PAGE },
};

/**
 * By start_date, with the 7-day overlap; an activity of the overlap is handled again only when
 * `key` of its summary changed (Strava's quota: 100 requests / 15 minutes). Ascending, but
 * with `before` (--until) Strava lists newest first (strava-ruby-client's recorded answer,
 * test/api-recorded.test.ts): core then reads the listing whole and hands it over oldest
 * first, so the cursor still moves activity by activity and never past one not yet handled.
 */
export function byStartDate(key: (a: SummaryActivity) => unknown, more: Pick<ByFieldKind<SummaryActivity>, 'collect' | 'onEnd'>): ByFieldKind<SummaryActivity> {
  return {
    kind: 'by-field',
    field: (a) => a.start_date,
    order: ({ until }) => (until ? 'descending' : 'ascending'),
    overlapMs: OVERLAP_MS,
    unchanged: { key },
    ...more,
  };
}
