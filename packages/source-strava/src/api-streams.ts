import type { Stream } from '@bronze/core';
import type { ActivityTally } from './api/activity-tally.js';
import { requiresApi } from './api/requires-api.js';
import type { StravaConfig } from './config.js';
import { activities } from './streams/activities.js';
import { activityDetails } from './streams/activity-details.js';
import { activityStreams } from './streams/activity-streams.js';
import { athlete } from './streams/athlete.js';
import { gear } from './streams/gear.js';

/**
 * The API v3 streams of one run, cheapest first: a quota stop in the long per-activity
 * backfill leaves the athlete, the listing and gear stored (gear after the listing, which
 * names the gear used). Their names never collide with the
 * export's (`export_*`, `*_files`, `fit_messages`); activity rows share the export's raw_id.
 */
export function apiStreams(config: StravaConfig): Stream[] {
  const tally: ActivityTally = { gearIds: new Set() };
  return [athlete, activities(tally), gear(tally), activityDetails(tally), activityStreams(tally)].map((s) => requiresApi(config, s));
}
