import { BronzeError } from '../errors.js';
import type { Logger } from '../log.js';
import { redact } from '../secrets.js';
import { apiMetaOf, safeEndpoint } from './api-meta.js';
import { BodyTooLargeError, DEFAULT_MAX_BODY_BYTES, readBodyText } from './body.js';
import { paginate } from './paginate.js';
import { parseJsonPrecise } from '../files/precise-json.js';
import { defaultSleep, RateBudget, type RateLimit } from './rate-budget.js';
import { backoffMs, isRetryableStatus, quotaSpent, requestedWaitMs } from './retry-policy.js';
import { formatInstant, isSecondaryLimit, quotaSpentUntil, SECONDARY_LIMIT_WAIT_MS } from './rate-limits.js';
import { validatorHeaders } from './validators.js';
import type { HttpClient, HttpRequest, HttpResponse } from './types.js';
import { quotaDecision, type QuotaDecision, type UsageQuota } from './usage-quota.js';
import type { AuthStrategy } from '../auth/types.js';
import { registerSecret } from '../secrets.js';

export interface HttpClientOptions {
  baseUrl: string;
  /** Authenticates every request; a 401 renews once (OAuth2) before it is final. Header values are secrets. */
  auth?: AuthStrategy;
  /** Advice appended to the error of a final answer with this status (e.g. 402: the quota is spent). */
  statusAdvice?: Record<number, StatusAdvice>;
  /** Attempts per request before giving up; default 5. */
  maxAttempts?: number;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  /** Most bytes of one response body; default 256 MiB (DEFAULT_MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Deadline for one call, all attempts and waits included; default 15 minutes. */
  totalTimeoutMs?: number;
  /** Longest wait honoured from Retry-After or a quota header before giving up; default 15 minutes. */
  maxWaitMs?: number;
  /** The source's request budget (token bucket). */
  rateLimit?: RateLimit;
  /** Usage the service reports in headers: near a window's limit, pause until it resets or stop the run (QuotaStop). */
  usageQuota?: UsageQuota;
  signal?: AbortSignal;
  /** Overrides the version read from the response or path for the api_version column. */
  apiVersion?: string;
  /** Name used in error messages, e.g. "Toggl". */
  service?: string;
  logger?: Logger;
  onWait?: (ms: number, reason: string) => void;
  /** Observes every attempt's outcome: the HTTP status, or 0 for a network error or timeout (metrics). */
  onResponse?: (status: number, endpoint: string) => void;
  /** Observes the time the request budget (rateLimit) held a request back (metrics). */
  onBudgetWait?: (ms: number) => void;
  /** Injectable for tests: waits and the clock the budget and HTTP dates use. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** Advice for a final answer: fixed text, or read from the answer's headers (a missing token scope). */
export type StatusAdvice = string | ((headers: Headers) => string | undefined);

const adviceText = (a: StatusAdvice | undefined, headers: Headers) => (typeof a === 'function' ? a(headers) : a);

/** A request that failed for good. The message names the endpoint and status, never a secret. */
export class HttpError extends BronzeError {
  readonly status: number;
  readonly endpoint: string;
  readonly attempts: number;
  constructor(message: string, status: number, endpoint: string, attempts = 1, options?: { cause?: unknown }) {
    super(redact(message), 1, options);
    this.status = status;
    this.endpoint = endpoint;
    this.attempts = attempts;
  }
}

/** Kept for compatibility: the default sleep. */
export const sleep = defaultSleep;
export { retryAfterMs } from './retry-policy.js';

function contentType(req: HttpRequest): Record<string, string> {
  if (req.form) return { 'content-type': 'application/x-www-form-urlencoded' };
  return req.body !== undefined ? { 'content-type': 'application/json' } : {};
}

const snippet = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 200);

export function createHttpClient(o: HttpClientOptions): HttpClient {
  const maxAttempts = o.maxAttempts ?? 5;
  const wait = o.sleep ?? defaultSleep;
  const now = o.now ?? Date.now;
  const budget = o.rateLimit ? new RateBudget(o.rateLimit, now, wait) : undefined;
  const base = o.baseUrl.endsWith('/') ? o.baseUrl : `${o.baseUrl}/`;
  const service = o.service ? `${o.service} ` : '';
  const maxBodyBytes = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  // Set by an answer saying no request is left (X-RateLimit-Remaining: 0): the next waits until then.
  let spentUntil: number | undefined;

  async function pause(ms: number, reason: string, retrying = true): Promise<void> {
    o.onWait?.(ms, reason);
    o.logger?.warn(`waiting ${(ms / 1000).toFixed(1)} s ${retrying ? 'before retrying' : 'before asking'}: ${reason}`);
    await wait(ms, o.signal);
  }

  // What the last response's usage headers ask of the next request (usage-quota.ts).
  let quota: QuotaDecision = { action: 'go' };
  async function obeyQuota(): Promise<void> {
    const q = quota;
    if (q.action === 'stop') throw q.error;
    if (q.action === 'pause') {
      quota = { action: 'go' };
      const ms = q.untilMs - now();
      if (ms > 0) {
        o.onWait?.(ms, q.reason);
        o.logger?.warn(`waiting ${(ms / 1000).toFixed(1)} s for the rate-limit window to reset: ${q.reason}`);
        await wait(ms, o.signal);
      }
    }
  }

  async function json<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const url = new URL(req.path.replace(/^\//, ''), base);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const method = req.method ?? 'GET';
    const endpoint = safeEndpoint(url);
    const what = `${service}${method} ${endpoint}`;
    const deadline = now() + (o.totalTimeoutMs ?? 15 * 60_000);
    const maxWait = o.maxWaitMs ?? 15 * 60_000;
    let renewed = false;
    for (let attempt = 1; ; attempt++) {
      // `body`: the answer's text, named when the run stops on it (a 402 may say why it is not the quota).
      const retryOrFail = async (ms: number, problem: string, status: number, cause?: unknown, headers?: Headers, body?: string) => {
        const said = body?.trim() ? `; the answer: ${snippet(body)}` : '';
        if (attempt >= maxAttempts) throw new HttpError(`${what} failed after ${attempt} attempts: ${problem}${said}`, status, endpoint, attempt, { cause });
        if (ms > maxWait) {
          const advice = adviceText(o.statusAdvice?.[status], headers ?? new Headers());
          throw new HttpError(`${what}: ${problem}; the server asks to wait ${Math.ceil(ms / 1000)} s, longer than the ${Math.round(maxWait / 1000)} s bronze waits; try again later (after ${formatInstant(now() + ms)})${said}${advice ? `; ${advice}` : ''}`, status, endpoint, attempt);
        }
        if (now() + ms > deadline) throw new HttpError(`${what} gave up at its overall deadline after ${attempt} attempts: ${problem}`, status, endpoint, attempt, { cause });
        await pause(ms, `${what}: ${problem} (attempt ${attempt} of ${maxAttempts})`);
      };
      await obeyQuota();
      if (budget) {
        const waited = await budget.take(o.signal);
        if (waited > 0) {
          o.onBudgetWait?.(waited);
          o.logger?.debug(`rate budget: waited ${waited} ms before ${what}`);
        }
      }
      if (spentUntil !== undefined) {
        const ms = spentUntil - now();
        spentUntil = undefined;
        if (ms > maxWait) {
          const at = formatInstant(now() + ms);
          throw new HttpError(`${what}: the API's rate limit is spent until ${at} (X-RateLimit-Remaining: 0), ${Math.ceil(ms / 60_000)} min from now, longer than the ${Math.round(maxWait / 1000)} s bronze waits; stopped with what was read so far committed: run again after ${at}`, 429, endpoint, attempt);
        }
        if (ms > 0) await pause(ms, `${what}: the rate limit is spent until ${formatInstant(now() + ms)} (X-RateLimit-Remaining: 0)`, false);
      }
      o.signal?.throwIfAborted();
      const timeoutMs = req.timeoutMs ?? o.timeoutMs ?? 30_000;
      const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(o.signal ? [o.signal] : [])]);
      let res: Response;
      let text: string;
      const authHeaders = (await o.auth?.headers()) ?? {};
      for (const v of Object.values(authHeaders)) registerSecret(v);
      try {
        res = await fetch(url, {
          method,
          headers: { accept: 'application/json', ...authHeaders, ...req.headers, ...contentType(req), ...validatorHeaders(req.validator) },
          body: req.form ? new URLSearchParams(req.form).toString() : req.body !== undefined ? JSON.stringify(req.body) : undefined,
          signal,
        });
        // The body is read under the same timeout: a stalled or cut-off body is a network error.
        text = await readBodyText(res, maxBodyBytes);
      } catch (err) {
        if (o.signal?.aborted) throw o.signal.reason ?? err;
        if (err instanceof BodyTooLargeError) throw new HttpError(`${what}: ${err.message}`, res!.status, endpoint, attempt, { cause: err });
        o.onResponse?.(0, endpoint);
        const e = err as Error & { cause?: { code?: string; message?: string } };
        const problem = e.name === 'TimeoutError' ? `no complete response within ${timeoutMs} ms` : `network error (${e.cause?.code ?? e.cause?.message ?? e.message})`;
        await retryOrFail(backoffMs(attempt, { random: o.random }), problem, 0, err);
        continue;
      }
      o.onResponse?.(res.status, endpoint);
      if (o.usageQuota) quota = quotaDecision(o.usageQuota, res.headers, now());
      const api = apiMetaOf(url, res.status, res.headers, o.apiVersion);
      if (isRetryableStatus(res.status, res.headers)) {
        const asked = requestedWaitMs(res.headers, now(), res.status);
        await retryOrFail(asked ?? backoffMs(attempt, { random: o.random, baseMs: 1000, capMs: 60_000 }), `answered ${res.status}${asked !== undefined ? ` (asked to wait ${Math.ceil(asked / 1000)} s)` : ''}`, res.status, undefined, res.headers, text);
        continue;
      }
      if (isSecondaryLimit(res.status, text)) {
        // A secondary limit with no wait header: at least a minute, longer each time (GitHub's advice).
        const ms = SECONDARY_LIMIT_WAIT_MS + backoffMs(attempt, { random: o.random, baseMs: 1000, capMs: 60_000 });
        await retryOrFail(ms, `answered ${res.status}: secondary rate limit`, res.status, undefined, res.headers);
        continue;
      }
      if (res.status === 401 && o.auth?.renew && !renewed) {
        // The access token died early (revoked, clock skew): renew once and ask again.
        renewed = true;
        if (await o.auth.renew(`was refused (401 at ${endpoint})`)) continue;
      }
      spentUntil = quotaSpentUntil(res.headers, now());
      if (res.status === 304 && req.validator) {
        // Not modified since the validator: an answer, and GitHub does not count it.
        return { status: 304, headers: res.headers, body: null as T, api, attempts: attempt };
      }
      if (res.status < 200 || res.status >= 300) {
        // A 403 or 429 with no request left (X-RateLimit-Remaining: 0) and no time to wait for
        // is the quota, not the credentials: its advice must not send the user after a new token.
        const spent = quotaSpent(res.headers);
        const refused = res.status === 401 || (res.status === 403 && !spent);
        const hint = refused ? ' (credentials refused; not retried)' : spent ? ' (no request left in the quota, and no time given to wait for it; not retried)' : '';
        const advice = adviceText(o.statusAdvice?.[res.status], res.headers) ?? (refused ? o.auth?.advice : undefined);
        const body = snippet(text);
        throw new HttpError(`${what} answered ${res.status}${hint}${body ? `: ${body}` : ' with an empty body'}${advice ? `; ${advice}` : ''}`, res.status, endpoint, attempt);
      }
      let body: T;
      try {
        // Exact numbers, __proto__ and duplicate keys kept, any depth (files/precise-json.ts).
        body = (text === '' ? null : parseJsonPrecise(text)) as T;
      } catch (err) {
        await retryOrFail(backoffMs(attempt, { random: o.random }), `malformed JSON (${(err as Error).message})`, res.status, err);
        continue;
      }
      return { status: res.status, headers: res.headers, body, api, attempts: attempt };
    }
  }

  const client: HttpClient = {
    json,
    records: (request, options = {}) => paginate(client, request, options, o.signal),
  };
  return client;
}
