import type { ApiMeta } from '../contract.js';

export interface HttpRequest {
  /** Path below the source's base URL (or an absolute URL). */
  path: string;
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  /** For the api_* columns: endpoint (no secrets), status, request id, rate-limit headers. */
  api: ApiMeta;
}

/** ctx.http: retries, backoff, timeouts and the api_* facts, so sources write no loops. */
export interface HttpClient {
  json<T = unknown>(request: HttpRequest): Promise<HttpResponse<T>>;
}
