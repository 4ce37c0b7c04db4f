import type { SourceContext } from '@bronze/core';
import type { Emitted } from '@bronze/core';
import { withAuth } from './client.js';
import type { GarminConfig } from './config.js';
import { addDays, isoDay } from './days.js';
import { garminInstant } from './time.js';

export interface ListedActivity {
  activityId: number;
  startTimeGMT?: string;
  [key: string]: unknown;
}

/** Cursor of the activity streams: the latest start time read (ISO, UTC). */
export interface ActivityState {
  startTimeGMT: string;
}

export function activityStart(a: { startTimeGMT?: unknown; summaryDTO?: { startTimeGMT?: unknown } }): Date | undefined {
  return garminInstant(a.startTimeGMT) ?? garminInstant(a.summaryDTO?.startTimeGMT);
}

export function laterState(state: ActivityState | undefined, at: Date | undefined): ActivityState | undefined {
  if (!at) return state;
  const iso = at.toISOString();
  return state && state.startTimeGMT >= iso ? state : { startTimeGMT: iso };
}

/**
 * The activity list since the cursor (minus the overlap days), paged by ctx.http, returned
 * oldest first: Garmin lists newest first, and a cursor committed with a batch of the newest
 * would skip older activities after a crash.
 */
export async function listActivities(config: GarminConfig, ctx: SourceContext, a: { state?: ActivityState; since?: Date; until?: Date }): Promise<Emitted<ListedActivity>[]> {
  const startDate = a.since ? isoDay(a.since) : a.state?.startTimeGMT ? addDays(a.state.startTimeGMT.slice(0, 10), -config.overlapDays) : undefined;
  const endDate = a.until ? isoDay(new Date(a.until.getTime() - 1)) : undefined;
  const listed = await withAuth(config, ctx, async (authorization) => {
    const out: Emitted<ListedActivity>[] = [];
    const pages = ctx.http.records<ListedActivity>(
      { path: 'activitylist-service/activities/search/activities', query: { startDate, endDate }, headers: { authorization } },
      { paging: { type: 'offset', size: config.pageSize, offsetParam: 'start', limitParam: 'limit' } },
    );
    for await (const item of pages) out.push(item);
    return out;
  });
  // A listing stopped by Ctrl-C/SIGTERM ends quietly with the newest pages only (Garmin lists
  // newest first): yielding them would set the cursor past the older activities never listed.
  if (ctx.signal.aborted) return [];
  const at = (e: Emitted<ListedActivity>) => activityStart(e.record)?.getTime() ?? 0;
  return listed.sort((x, y) => at(x) - at(y) || Number(x.record.activityId) - Number(y.record.activityId));
}
