import type { ApiMeta, Emitted, RecordMeta } from '../emitted.js';

export interface HttpRequest {
  /** Path below the source's base URL (or an absolute URL). */
  path: string;
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** A form body (application/x-www-form-urlencoded), e.g. an OAuth2 token request. */
  form?: Record<string, string>;
  /** Per-attempt timeout; default the client's (30 s). */
  timeoutMs?: number;
  /**
   * A validator from an earlier answer (its ETag, else its Last-Modified): sent as If-None-Match
   * (or If-Modified-Since), and a 304 is then an answer (body null) rather than an error.
   */
  validator?: string;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** For the api_* columns: endpoint (no secrets), status, request id, rate-limit headers, version. */
  api: ApiMeta;
  /** Attempts this response took (1 when the first one succeeded). */
  attempts: number;
}

/** One date window of a backfill: [start, end). */
export interface DateWindow {
  start: Date;
  end: Date;
}

/** How a listing is split into requests. Every kind but 'next' stops at the first empty page. */
export type Paging =
  /** ?page=1,2,3… (&per_page=size); stops at a page shorter than size. */
  | { type: 'page'; size: number; pageParam?: string; sizeParam?: string; firstPage?: number }
  /** ?offset=0,size,2·size… (&limit=size); stops at a page shorter than size. */
  | { type: 'offset'; size: number; offsetParam?: string; limitParam?: string }
  /** The response names the next page's cursor; stops when next() returns nothing. */
  | { type: 'cursor'; param: string; next: (body: any, response: HttpResponse) => string | number | undefined | null }
  /** Follows the `Link: <…>; rel="next"` header (GitHub style) until there is none. */
  | { type: 'link' }
  /**
   * The next request from the one just answered (a cursor in response headers that goes into a
   * POST body, as Toggl's Reports API pages); stops when next() returns undefined, which it also
   * decides after an empty page (it may go on to another listing).
   */
  | { type: 'next'; next: (request: HttpRequest, body: any, response: HttpResponse) => HttpRequest | undefined }
  /** One request per window of [from, to); query() turns a window into query parameters. */
  | { type: 'windows'; from: Date; to: Date; stepMs: number; query: (w: DateWindow) => HttpRequest['query'] };

/** Where a record came from within a listing, given to RecordsOptions.meta. */
export interface PageInfo {
  /** 0-based request number within the listing. */
  request: number;
  window?: DateWindow;
}

export interface RecordsOptions<T> {
  /** The records in a response body; default: the body if it is an array, else body.data or body.items. */
  items?: (body: any, response: HttpResponse) => T[] | undefined | null;
  paging?: Paging;
  /** Extra facts per record (stream, metadata); `api` is always filled in by the client. */
  meta?: (record: T, response: HttpResponse, page: PageInfo) => Omit<RecordMeta, 'api'>;
  /** Safety stop for servers that ignore the paging parameters; default 10,000 requests. */
  maxRequests?: number;
  /** Observes each response of the listing (a 304 included) before its records are handed over. */
  onResponse?: (response: HttpResponse, page: PageInfo) => void;
}

/** ctx.http: retries, backoff, budget, timeouts, paging and the api_* facts, so sources write no loops. */
export interface HttpClient {
  /** One request (with retries); the parsed JSON body and the api_* facts. */
  json<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
  /** Every record of a listing, each wrapped as emit(record, { api }); pages as `paging` says. */
  records<T = unknown>(request: HttpRequest, options?: RecordsOptions<T>): AsyncIterable<Emitted<T>>;
}
