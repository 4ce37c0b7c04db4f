import { createHash } from 'node:crypto';
import { checkpoint, type Checkpoint, type Emitted, type ReadArgs, type SourceContext } from '@bronze/core';

/** A summary of GET /athlete/activities (SummaryActivity): what the per-activity streams start from. */
export interface SummaryActivity {
  id: number | string;
  start_date: string;
  [key: string]: unknown;
}

/**
 * The cursor of a stream that walks the activity listing: the latest start_date handed over,
 * the activities of the overlap already handled (id → start_date and the hash of what made
 * them worth a request), and how many distinct activities the stream has handled in all.
 */
export interface ListedState {
  cursor?: string;
  seen?: Record<string, [string, string]>;
  count?: number;
  /** The activities stream only: every gear_id listed so far (the gear stream reads them). */
  gear?: string[];
}

export interface ListedOptions {
  /** Re-read this much before the cursor each run, so edits (rename, type, crop) are seen. */
  overlapMs: number;
  /** What of a summary decides whether it needs handling again (a changed value: yes). */
  changeKey(summary: SummaryActivity): unknown;
  /** The rows for one new or changed activity (the summary itself, or one more request). */
  rows(summary: SummaryActivity, listed: Emitted<SummaryActivity>, ctx: SourceContext): Promise<Emitted<any>[]>;
  /** When given: collects every listed gear_id, kept in the state (loaded from it first). */
  gearIds?: Set<string>;
  /** Called with the state when the read ends, finished or cut short (quota, Ctrl-C, error). */
  onEnd?(state: ListedState): void;
}

const PAGE = 200; // Strava's largest per_page
const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const hashOf = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/**
 * Walks /athlete/activities?after=(cursor − overlap), oldest first (what Strava returns for an
 * `after` query), and handles each activity not yet handled or changed since. The cursor moves
 * with every activity, committed with its rows, so a run stopped by the quota or Ctrl-C resumes
 * at the next activity and never asks again for one it stored.
 */
export async function* readListedActivities(o: ListedOptions, args: ReadArgs<ListedState>, ctx: SourceContext): AsyncGenerator<Emitted<any> | Checkpoint<ListedState>> {
  const explicit = args.since !== undefined;
  const state: Required<Omit<ListedState, 'gear'>> = { cursor: args.state?.cursor ?? '', seen: { ...args.state?.seen }, count: args.state?.count ?? 0 };
  const gear = o.gearIds;
  for (const g of args.state?.gear ?? []) gear?.add(g);
  const saved = (): ListedState => ({ ...state, seen: { ...state.seen }, ...(gear ? { gear: [...gear].sort() } : {}) });
  const after = args.since ?? (state.cursor ? new Date(Date.parse(state.cursor) - o.overlapMs) : undefined);
  const request = { path: 'athlete/activities', query: { after: after ? epoch(after) : 0, before: args.until ? epoch(args.until) : undefined } };
  let previous = '';
  try {
    for await (const listed of ctx.http.records<SummaryActivity>(request, { paging: { type: 'page', size: PAGE } })) {
      const a = listed.record;
      const id = String(a.id);
      if (typeof a.gear_id === 'string' && a.gear_id) gear?.add(a.gear_id);
      const time = Date.parse(a.start_date);
      if (Number.isNaN(time)) {
        // Stored (the schema marks it invalid, naming start_date) but no cursor can follow it.
        yield* await o.rows(a, listed, ctx);
        continue;
      }
      const at = new Date(time).toISOString();
      // The cursor may only follow an ascending listing; anything else would skip activities.
      if (at < previous) throw new Error(`strava: /athlete/activities listed activity ${id} (${at}) after one of ${previous}: not oldest first, so the cursor cannot move safely; nothing after ${previous} was committed`);
      previous = at;
      const key = hashOf(o.changeKey(a));
      if (state.seen[id]?.[1] !== key) {
        const rows = await o.rows(a, listed, ctx);
        if (ctx.signal.aborted) return;
        if (!state.seen[id]) state.count++;
        state.seen[id] = [at, key];
        yield* rows;
      }
      if (explicit) continue; // --since re-reads a range; the saved cursor stays as it is
      if (at > state.cursor) state.cursor = at;
      const floor = new Date(Date.parse(state.cursor) - o.overlapMs).toISOString();
      for (const [k, [t]] of Object.entries(state.seen)) if (t < floor) delete state.seen[k];
      yield checkpoint(saved());
    }
  } finally {
    o.onEnd?.(saved());
  }
}
