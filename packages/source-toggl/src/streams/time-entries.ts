import { DAY_MS, defineStream, emit, Type, type Emitted, type RecordMeta, type SourceContext, checkpoint } from '@bronze/core';
import { API, togglRecords, togglResponse } from '../client.js';
import type { TogglConfig } from '../config.js';

/** GET /api/v9/me/time_entries: the user's time entries, deleted ones included when asked with `since`. */
export const TimeEntryRecord = Type.Object({
  id: Type.Integer(),
  workspace_id: Type.Integer(),
  project_id: Type.Union([Type.Integer(), Type.Null()]),
  start: Type.String(),
  stop: Type.Union([Type.String(), Type.Null()]),
  /** Seconds; negative while the entry is running. */
  duration: Type.Integer(),
  description: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Union([Type.Array(Type.String()), Type.Null()]),
  billable: Type.Boolean(),
  at: Type.String(),
  server_deleted_at: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
type TimeEntry = { id: number; start: string };

/**
 * The saved cursor. `backfill`: windows by start date are being read from `from`; once they
 * reach now, changes since `since` are asked for. `incremental`: ask only for entries
 * modified since `since` (UNIX seconds, server clock).
 */
export type TimeEntriesCursor = { phase: 'backfill'; from: string; since: number } | { phase: 'incremental'; since: number };

/** What read() tells nextState about each record, through its metadata (also kept in the row). */
interface Provenance {
  request: 'backfill' | 'since' | 'range';
  server_time?: string;
  window_start?: string;
  window_end?: string;
  backfill_from?: string;
  backfill_since?: number;
}

/** Overlap kept when asking for changes, for clock skew and entries written during a request. */
const SINCE_MARGIN_S = 60;
/** Toggl refuses `since` much older than three months; older cursors are refreshed by a backfill. */
const SINCE_MAX_AGE_MS = 80 * DAY_MS;

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function serverTime(headers: Headers, ctx: SourceContext): Date {
  const d = new Date(headers.get('date') ?? '');
  return Number.isNaN(d.getTime()) ? ctx.now() : d;
}

async function* windows(ctx: SourceContext, config: TogglConfig, from: Date, to: Date, p: Provenance): AsyncGenerator<Emitted<TimeEntry>> {
  yield* togglRecords<TimeEntry>(
    ctx,
    { path: `${API}/me/time_entries` },
    {
      paging: { type: 'windows', from, to, stepMs: config.windowDays * DAY_MS, query: (w) => ({ start_date: rfc3339(w.start), end_date: rfc3339(w.end) }) },
      items: (body, res) => {
        if (Array.isArray(body) && body.length >= 1000) ctx.logger.warn(`toggl.time_entries: ${res.api.endpoint} returned ${body.length} entries, Toggl's page limit; set TOGGL_WINDOW_DAYS lower and run with --full-refresh`);
        return body;
      },
      meta: (_r, res, page) => ({
        metadata: { ...p, server_time: serverTime(res.headers, ctx).toISOString(), window_start: page.window!.start.toISOString(), window_end: page.window!.end.toISOString() },
      }),
    },
  );
}

export function timeEntries(config: TogglConfig) {
  return defineStream<TimeEntry, TimeEntriesCursor>({
    name: 'time_entries',
    schema: TimeEntryRecord,
    id: (r) => String(r.id),
    timestamp: (r) => new Date(r.start),
    async *read({ state, since, until }, ctx) {
      const now = ctx.now();
      const horizon = new Date(now.getTime() + DAY_MS); // entries may start "tomorrow" in UTC
      if (since) {
        // --since/--until: an explicit re-read of a range; the saved cursor stays as it is.
        yield* windows(ctx, config, since, until ?? horizon, { request: 'range', backfill_from: config.startDate, backfill_since: unix(now) - 300 });
        return;
      }
      if (state?.phase === 'incremental' && now.getTime() - state.since * 1000 < SINCE_MAX_AGE_MS) {
        // One response; its entries keep the old cursor, and the cursor moves to the server's
        // time only after every entry of it was handed over (a stop part-way re-asks `since`).
        const res = await togglResponse<TimeEntry[] | null>(ctx, { path: `${API}/me/time_entries`, query: { since: state.since } });
        if (res.body !== null && !Array.isArray(res.body)) throw new Error(`${res.api.endpoint}: expected a list of time entries, got ${typeof res.body}`);
        const at = serverTime(res.headers, ctx);
        for (const entry of res.body ?? []) yield emit(entry, { api: res.api, metadata: { request: 'since', server_time: at.toISOString() } satisfies Provenance });
        if (!ctx.signal.aborted) yield checkpoint({ phase: 'incremental', since: unix(at) - SINCE_MARGIN_S });
        return;
      }
      // Backfill: from the configured start, or resume where a crashed run stopped, or
      // refresh a cursor too old for `since`. Changes made meanwhile are asked for next run.
      const resuming = state?.phase === 'backfill';
      const from = resuming ? new Date(state.from) : state ? new Date(state.since * 1000 - DAY_MS) : new Date(config.startDate);
      const backfillSince = resuming ? state.since : unix(now) - 300;
      for await (const e of windows(ctx, config, from, horizon, { request: 'backfill', backfill_since: backfillSince })) yield e;
      // A listing stopped by Ctrl-C/SIGTERM ends quietly (core commits what was read): the
      // windows after it were never read, so the cursor must stay in the backfill phase.
      if (ctx.signal.aborted) return;
      // Every window is read: the next run asks for changes since the backfill began.
      yield checkpoint({ phase: 'incremental', since: backfillSince });
    },
    nextState(state, _record, meta: RecordMeta) {
      const p = meta.metadata as Provenance | undefined;
      switch (p?.request) {
        case 'since':
          return state ?? { phase: 'backfill', from: config.startDate, since: 0 };
        case 'backfill':
          return { phase: 'backfill', from: p.window_start!, since: p.backfill_since! };
        default:
          return state ?? { phase: 'backfill', from: p?.backfill_from ?? config.startDate, since: p?.backfill_since ?? 0 };
      }
    },
  });
}
