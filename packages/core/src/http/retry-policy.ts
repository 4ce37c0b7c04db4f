// When to try again and how long to wait first. Pure functions, so the waits are testable.
import { resetAtMs } from './rate-limits.js';

/**
 * Headers some APIs use for "quota spent, resets in N seconds". Toggl sends
 * X-Toggl-Quota-Resets-In on every response, whether or not the quota is spent, so the
 * header alone is no request to wait (see quotaResetWaitMs).
 */
export const QUOTA_RESET_HEADERS = ['x-toggl-quota-resets-in', 'x-ratelimit-reset-after'];
/** The matching "requests left in this quota" headers (X-RateLimit-Remaining: GitHub's primary limit). */
export const QUOTA_REMAINING_HEADERS = ['x-toggl-quota-remaining', 'x-ratelimit-remaining'];

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** True when a quota-remaining header says no request is left. */
export function quotaSpent(headers: Headers): boolean {
  return QUOTA_REMAINING_HEADERS.some((h) => {
    const v = headers.get(h)?.trim();
    return v !== undefined && v !== '' && Number(v) <= 0;
  });
}

/** The quota-reset header's wait, in milliseconds, whatever the status. */
function quotaResetMs(headers: Headers, now: number): number | undefined {
  for (const h of QUOTA_RESET_HEADERS) {
    const ms = retryAfterMs(headers.get(h), now);
    if (ms !== undefined) return ms;
  }
  // GitHub's X-RateLimit-Reset: the epoch second the quota returns.
  const at = resetAtMs(headers, now);
  return at === undefined ? undefined : Math.max(0, at - now);
}

/**
 * The quota-reset wait, only when it applies: on a 402 (the quota is spent; Toggl's way of
 * saying so) or when the remaining-quota header is 0. On any other answer the reset time
 * is just information: a 503 with `Resets-In: 1800` is not a request to wait 30 minutes.
 */
export function quotaResetWaitMs(status: number, headers: Headers, now = Date.now()): number | undefined {
  if (status !== 402 && !quotaSpent(headers)) return undefined;
  return quotaResetMs(headers, now);
}

/**
 * The wait a response asks for: Retry-After first, then the quota reset where it applies
 * (quotaResetWaitMs). Undefined means "use the backoff".
 */
export function requestedWaitMs(headers: Headers, now = Date.now(), status = 402): number | undefined {
  return retryAfterMs(headers.get('retry-after'), now) ?? quotaResetWaitMs(status, headers, now);
}

/**
 * Statuses worth another attempt: 408, 429, 5xx, and 402 when it carries a wait header
 * (a spent quota, as Toggl sends it; a plain 402 is a billing problem, not transient).
 * 401 never is, nor a 403 that is a refusal: the credentials will not get better by asking
 * again. A 403 that is a rate limit is (GitHub: Retry-After, or X-RateLimit-Remaining: 0).
 */
export function isRetryableStatus(status: number, headers: Headers): boolean {
  if (status === 408 || status === 429 || status >= 500) return true;
  if (status === 402 || status === 403) return requestedWaitMs(headers, Date.now(), status) !== undefined;
  return false;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffMs(attempt: number, o: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = o.baseMs ?? 500;
  const cap = o.capMs ?? 30_000;
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * (o.random ?? Math.random)());
}
