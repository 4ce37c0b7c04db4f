import { checkpoint, emit, HttpError, type Stream } from '@bronze/core';
import type { ActivityTally } from '../api/activity-tally.js';
import { GearRecord } from '../api/schemas.js';

/** Deleted or no longer shared: nothing to store. */
function gone(err: unknown): null {
  if (err instanceof HttpError && err.status === 404) return null;
  throw err;
}

interface GearState {
  ids?: string[];
}

/**
 * GET /gear/{id} for every bike and pair of shoes known: those GET /athlete lists (only with
 * the profile:read_all scope; bronze asks for read,activity:read_all, which gives a summary
 * athlete without them), every gear_id the activities stream has listed, and the ids of earlier
 * runs. Re-read each run (a snapshot: a changed distance is a new version). raw_id = gear id.
 */
export const gear = (tally: ActivityTally): Stream<{ id: string }, GearState> => ({
  name: 'gear',
  schema: GearRecord,
  id: (r) => String(r.id),
  incremental: 'snapshot',
  async *read(args, ctx) {
    const ids = new Set([...(args.state?.ids ?? []), ...tally.gearIds]);
    const { body } = await ctx.http.json<{ bikes?: { id: string }[]; shoes?: { id: string }[] } | null>({ path: 'athlete' });
    for (const g of [...(body?.bikes ?? []), ...(body?.shoes ?? [])]) ids.add(g.id);
    const known = [...ids].sort();
    // Kept before the requests: a run stopped by the quota does not forget gear it learned of.
    yield checkpoint({ ids: known });
    for (const id of known) {
      if (ctx.signal.aborted) return;
      const res = await ctx.http.json<{ id: string } | null>({ path: `gear/${encodeURIComponent(id)}` }).catch(gone);
      if (res?.body) yield emit(res.body, { api: res.api });
    }
  },
});
