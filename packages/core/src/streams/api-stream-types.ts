import type { TSchema } from '@sinclair/typebox';
import type { Emitted, SourceContext } from '../contract.js';
import type { HttpError } from '../http/client.js';
import type { DateWindow, HttpRequest, HttpResponse, Paging } from '../http/types.js';
import type { CursorType, CursorValue } from './cursor-values.js';

/** What core hands a stream's request() for one listing. Which fields are set depends on the kind. */
export interface RequestParams {
  /** by-field: the saved cursor minus the overlap (a Date for time fields); absent on a full read. */
  after?: Date | CursorValue;
  /** by-field: --until (exclusive), for APIs with an upper bound (Strava `before`). */
  until?: Date;
  /** by-field backfill and explicit --since ranges read in windows: this window, [start, end). */
  window?: DateWindow;
  /** day-window: the first and last calendar day of this request (YYYY-MM-DD, both included). */
  from?: string;
  to?: string;
}

/** The saved cursor of a by-field stream (bronze_state.cursor). */
export interface ByFieldState {
  /** The greatest field value committed (ISO instant for time fields). */
  cursor?: CursorValue;
  /** A windowed backfill in progress: the next window starts at `next`; it began at `startedAt`. */
  backfill?: { next: string; startedAt: string };
  /** With `unchanged`: the records from (cursor − overlap) on already handled, id → [field value, key hash]. */
  seen?: Record<string, [CursorValue, string]>;
  /** With `unchanged`: how many distinct records the stream has handled. */
  count?: number;
}

/** Re-read everything each run; the loader stores only records whose hash changed. No cursor. */
export interface SnapshotKind {
  kind: 'snapshot';
}

/** A cursor on an updated-at, start-time or id field of the listed records. */
export type ListingOrder = 'ascending' | 'descending' | 'unordered';

export interface ByFieldKind<L = any> {
  kind: 'by-field';
  /** The field the cursor follows. */
  field: (listed: L) => unknown;
  /** 'time' (default): ISO instants, Unix seconds or milliseconds; 'id': growing ids. */
  type?: CursorType;
  /** Time fields: ask for this much before the cursor, so edits and equal values are re-read. */
  overlapMs?: number;
  /**
   * Time fields: after a complete listing the cursor is at least (listing start − lagMs), even
   * when nothing changed, so an idle account's cursor still moves (for updated-at fields whose
   * clock is the server's: lagMs covers clock skew and indexing delay).
   */
  lagMs?: number;
  /**
   * How the API orders the listing by the field. 'ascending': the cursor commits with every
   * batch (a long backfill converges over interrupted runs). 'descending': core reads the whole
   * listing, then hands it over oldest first. 'unordered' (default): the cursor moves only when
   * the listing was read to its end. A function when the order depends on the request (Strava
   * lists oldest first, but newest first once `before` = --until is sent).
   */
  order?: ListingOrder | ((params: RequestParams) => ListingOrder);
  /** With no cursor, read [from, now + aheadMs) in windows (APIs that cap a listing by date). */
  backfill?: {
    from: string | Date;
    stepMs: number;
    aheadMs?: number;
    /**
     * For APIs that serve nothing older than a moment they name when refusing a window (Toggl:
     * 400 "start_date must not be earlier than 2025-09-01"): the first instant served, read from
     * the refusal, else undefined (the error stands). The backfill then goes on from there, and
     * the run's summary names the range it could not read, with `advice` (where else that data is).
     */
    earliest?: { from(error: HttpError): Date | undefined; advice?: string };
    /**
     * For APIs that answer one request with at most this many records and say nothing of the
     * rest (Toggl's 1,000 time entries): a window that returns as many is read again as two
     * halves, down to one minute (then the read fails, naming the window); a listing after the
     * cursor that returns as many is followed by the whole backfill again, from `from`.
     */
    capacity?: number;
  };
  /** A cursor older than this is refused by the API: read windows from it instead (needs backfill). */
  maxAgeMs?: number;
  /**
   * The backfill is the whole job: once its windows are read, later runs ask nothing, since
   * another stream follows the changes (Toggl's report_time_entries: the Reports API filters by
   * start date only, the v9 stream's `since` sees every edit). `--since` re-reads a range;
   * `--full-refresh` starts the backfill over.
   */
  historyOnly?: boolean;
  /**
   * The listing is newest first and cannot be filtered by the field (Spotify's /me/tracks has
   * no "since"): paging stops at the first record older than (cursor − overlap), or --since, so
   * a run with nothing new is one request; records at or after --until are passed over. Needs
   * order 'descending'. Records are handed over as listed (not held in memory) and the cursor
   * moves only once the read reached it: a read cut short starts again from the newest.
   */
  stopAtCursor?: boolean;
  /**
   * Listed records handled before whose key is unchanged are skipped: no rows, no detail
   * request (Strava's quota). The state keeps `seen` (id → [field value, first 16 hex digits
   * of sha256 of the key's JSON]) for the records from (cursor − overlap) on, and `count`, the
   * distinct records handled. The id is the stream's id of the listed record. Not with
   * backfill; --since ranges are re-read whole.
   */
  unchanged?: { key(listed: L): unknown };
  /**
   * Values gathered from every listed record, kept distinct and sorted in the state under
   * each name and committed with the cursor (Strava: `gear`, the gear ids the activities
   * name, which another stream needs even after a run stopped halfway through the listing).
   */
  collect?: Record<string, (listed: L) => unknown>;
  /**
   * Called once the read ends, finished or cut short (Ctrl-C, quota, error), with the state as
   * far as it got (`count`, collected values): for a progress note or what a later stream needs.
   */
  onEnd?(state: ByFieldState & Record<string, unknown>, ctx: SourceContext): void;
}

/** Calendar days, N re-read each run (daily summaries that the service recomputes). */
export interface DayWindowKind<L = any> {
  kind: 'day-window';
  /** First day read when there is no cursor (YYYY-MM-DD). */
  startDay: string;
  /** Days before the cursor read again on every run. */
  overlapDays: number;
  /** Days per request (default 1: one request per day). */
  daysPerRequest?: number;
  /** The day a listed record belongs to: a multi-day response is handed over in day order. */
  day?: (listed: L) => string | undefined;
}

export type IncrementalKind<L = any> = SnapshotKind | ByFieldKind<L> | DayWindowKind<L>;

export interface ApiStreamSpec<R = any, L = any> {
  name: string;
  schema: TSchema;
  /**
   * The record's id: the name of the field holding it (core reads the value canonically:
   * strings and numbers are ids, anything else is refused, docs/values.md), or a function
   * returning the id value itself (not String(value)).
   */
  id: (keyof R & string) | ((record: R) => unknown);
  timestamp?(record: R): Date | undefined;
  hashInput?(record: R): unknown;
  hashText?(canonicalText: string): string;
  /**
   * The listing's request (path below the base URL, query, headers) for one read; undefined:
   * nothing to ask (a Toggl account without a workspace has no report to read).
   */
  request(params: RequestParams, ctx: SourceContext): HttpRequest | undefined | Promise<HttpRequest | undefined>;
  /** How the listing pages (the helpers of ctx.http.records); none: one request. */
  paging?: Exclude<Paging, { type: 'windows' }>;
  /**
   * The records of a response body; default: the body if a list, else body.data / body.items.
   * It may keep part of a list: paging still counts the page as listed (a body that is a list).
   */
  items?: (body: any, response: HttpResponse, ctx: SourceContext) => L[] | null | undefined;
  /** One more request per listed record, whose body is what is stored (e.g. GET /activities/{id}). */
  detail?: {
    /** The request for one listed record; undefined: nothing to ask for it (Strava's manual activities have no samples). */
    request(listed: L, ctx: SourceContext): HttpRequest | undefined;
    /**
     * The records of the detail body; default: the body itself, unless null. A record may be
     * emit(record, { rawId, metadata }) when the body holds no id of its own.
     */
    items?: (body: any, response: HttpResponse, listed: L) => (R | Emitted<R>)[] | null | undefined;
    /** A 404 means the record was deleted after it was listed: nothing is stored and it counts as handled. */
    skipNotFound?: boolean;
  };
  /** Top-level fields that hold credentials (Toggl's api_token): stored as "[REDACTED]". */
  secretFields?: string[];
  /** Default { kind: 'snapshot' }. */
  incremental?: IncrementalKind<L>;
  /**
   * Conditional requests: the validator (ETag, else Last-Modified) of each listing's first page
   * is kept in the stream's state and sent back (If-None-Match / If-Modified-Since); a 304 means
   * the listing has nothing new and yields nothing. Only for listings whose first page changes
   * whenever anything in them does (newest first, or asked with `since` on an unmoving cursor).
   */
  conditional?: boolean;
}
