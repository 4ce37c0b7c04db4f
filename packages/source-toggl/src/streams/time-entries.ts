import { DAY_MS, defineApiStream, Type, type HttpError } from '@bronze/core';
import { API } from '../client.js';
import type { TogglConfig } from '../config.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** GET /api/v9/me/time_entries: the user's time entries (deleted ones too, when asked with `since`). */
export const TimeEntryRecord = Type.Object({
  id: Type.Integer(), workspace_id: Type.Integer(), project_id: nullable(Type.Integer()),
  start: Type.String(), stop: nullable(Type.String()),
  duration: Type.Integer({ description: 'seconds; negative while the entry is running' }),
  description: nullable(Type.String()), tags: nullable(Type.Array(Type.String())), billable: Type.Boolean(),
  at: Type.String(), server_deleted_at: Type.Optional(nullable(Type.String())),
});
type TimeEntry = { id: number; start: string; at: string };
/** The most entries /me/time_entries returns for one request. */
export const ENTRIES_PER_ANSWER = 1000;
const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Toggl serves /me/time_entries by date for recent months only, a limit that moves with time
 * and the plan: an older window is refused with 400 "start_date must not be earlier than
 * 2025-09-01". Without this, the default two-year backfill failed on its first window, run
 * after run; with it, the backfill goes on from the date Toggl names, the run says which range
 * it could not read, and report_time_entries reads that range from the Reports API.
 */
const SERVED_FROM = {
  from: (err: HttpError) => {
    const day = err.status === 400 ? /must not be earlier than (\d{4}-\d{2}-\d{2})/.exec(err.message)?.[1] : undefined;
    return day ? new Date(`${day}T00:00:00Z`) : undefined;
  },
  advice: "the report_time_entries stream reads those entries from Toggl's Reports API",
};

/**
 * By field `at` (the modification time `since` compares with): windows by start date from
 * TOGGL_START_DATE first, then what changed since the cursor. Toggl refuses a `since` older than
 * about three months, so an older cursor is refreshed by windows from it. Entries may start
 * "tomorrow" in UTC (aheadMs); the lag covers clock skew between this machine and Toggl.
 */
export const timeEntries = (config: TogglConfig) =>
  defineApiStream<TimeEntry>({
    name: 'time_entries',
    schema: TimeEntryRecord,
    id: 'id',
    timestamp: (r) => new Date(r.start),
    request: ({ after, window }) => ({
      path: `${API}/me/time_entries`,
      query: after instanceof Date ? { since: Math.floor(after.getTime() / 1000) } : { start_date: rfc3339(window!.start), end_date: rfc3339(window!.end) },
    }),
    incremental: {
      kind: 'by-field', field: (r) => r.at, overlapMs: 60_000, lagMs: 300_000, maxAgeMs: 80 * DAY_MS,
      // Toggl answers with 1,000 entries at most, without a word on the rest ("the last thousand").
      backfill: { from: config.startDate, stepMs: config.windowDays * DAY_MS, aheadMs: DAY_MS, earliest: SERVED_FROM, capacity: ENTRIES_PER_ANSWER },
    },
  });
