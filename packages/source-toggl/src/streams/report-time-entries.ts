import { DAY_MS, defineApiStream, isoDay, Type, type HttpRequest, type HttpResponse, type SourceContext } from '@bronze/core';
import { API } from '../client.js';
import type { TogglConfig } from '../config.js';

/**
 * A row of Toggl's detailed report (Reports API v3, not grouped): who, project, description,
 * billable, tag ids and the time entries it holds (`id` is the time entry's v9 id, `seconds`
 * its duration). Only what the id and timestamp need is required; the rest is kept as sent.
 */
export const ReportRowRecord = Type.Object({
  time_entries: Type.Array(Type.Object({ id: Type.Integer(), start: Type.String() }), { minItems: 1 }),
});
interface ReportRow {
  time_entries?: { id?: number; start?: string; at?: string }[];
}

export const REPORTS = '/reports/api/v3';
/** Rows per page; Toggl's default is 50. */
export const REPORT_PAGE_SIZE = 50;
/** Days per request: Toggl refuses a detailed report longer than a year. */
export const REPORT_WINDOW_DAYS = 365;

const searchPath = (workspace: number) => `${REPORTS}/workspace/${workspace}/search/time_entries`;

/** The user and the workspaces whose reports hold their entries, asked once per run. */
function accountOf(): (ctx: SourceContext) => Promise<{ user: number; workspaces: number[] }> {
  let account: Promise<{ user: number; workspaces: number[] }> | undefined;
  return (ctx) =>
    (account ??= (async () => {
      const me = await ctx.http.json<{ id: number }>({ path: `${API}/me` });
      const list = await ctx.http.json<{ id: number }[] | null>({ path: `${API}/me/workspaces` });
      const workspaces = (list.body ?? []).map((w) => w.id);
      return { user: me.body.id, workspaces };
    })());
}

/**
 * The next page of the same workspace's report while Toggl names one (X-Next-ID,
 * X-Next-Row-Number, X-Next-Timestamp: sent back as first_id, first_row_number,
 * first_timestamp), then the first page of the next workspace, then nothing.
 */
function nextPage(workspaces: () => number[]) {
  return (request: HttpRequest, _body: unknown, res: HttpResponse): HttpRequest | undefined => {
    const { first_id: _i, first_row_number: _r, first_timestamp: _t, ...query } = request.body as Record<string, unknown>;
    const cursor: Record<string, number> = {};
    for (const [header, field] of [['x-next-id', 'first_id'], ['x-next-row-number', 'first_row_number'], ['x-next-timestamp', 'first_timestamp']] as const) {
      const v = res.headers.get(header);
      if (v !== null && v !== '') cursor[field] = Number(v);
    }
    if (Object.keys(cursor).length) return { ...request, body: { ...query, ...cursor } };
    const list = workspaces();
    const next = list[list.findIndex((w) => request.path === searchPath(w)) + 1];
    return next === undefined ? undefined : { ...request, path: searchPath(next), body: query };
  };
}

/**
 * POST /reports/api/v3/workspace/{id}/search/time_entries: the user's whole history, which
 * /me/time_entries lists by date for recent months only. Read once, in windows of a year from
 * TOGGL_START_DATE, every workspace of the user, the user's own entries (`user_ids`); later runs
 * ask nothing (historyOnly): the time_entries stream's `since` sees every later edit and
 * deletion. The row's workspace is in api_endpoint.
 */
export function reportTimeEntries(config: TogglConfig) {
  const account = accountOf();
  let workspaces: number[] = [];
  return defineApiStream<ReportRow>({
    name: 'report_time_entries',
    schema: ReportRowRecord,
    // Not grouped, a row holds one entry; should it hold more, their ids together are its id.
    id: (r) => (Array.isArray(r.time_entries) && r.time_entries.length ? (r.time_entries.length === 1 ? r.time_entries[0].id : r.time_entries.map((e) => e.id).join(',')) : undefined),
    timestamp: (r) => (r.time_entries?.[0]?.start ? new Date(r.time_entries[0].start) : undefined),
    async request({ window }, ctx) {
      const a = await account(ctx);
      workspaces = a.workspaces;
      // No workspace (Toggl gives every user one; a fixture may not): no report to read.
      if (!workspaces.length) return undefined;
      // Whole days, end_date inclusive: consecutive windows share no day and miss none.
      const last = new Date(window!.end.getTime() - DAY_MS);
      return {
        method: 'POST',
        path: searchPath(workspaces[0]),
        body: { start_date: isoDay(window!.start), end_date: isoDay(last), user_ids: [a.user], grouped: false, order_by: 'date', order_dir: 'asc', page_size: REPORT_PAGE_SIZE },
      };
    },
    paging: { type: 'next', next: nextPage(() => workspaces) },
    items: (body) => body,
    incremental: {
      kind: 'by-field', field: (r) => r.time_entries?.[0]?.at ?? r.time_entries?.[0]?.start, lagMs: 0, historyOnly: true,
      backfill: { from: config.startDate, stepMs: REPORT_WINDOW_DAYS * DAY_MS, aheadMs: DAY_MS },
    },
  });
}
