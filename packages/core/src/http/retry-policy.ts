// When to try again and how long to wait first. Pure functions, so the waits are testable.

/** Headers some APIs use for "quota spent, resets in N seconds" (Toggl answers 402 with it). */
export const QUOTA_RESET_HEADERS = ['x-toggl-quota-resets-in', 'x-ratelimit-reset-after'];

/** Retry-After as seconds or an HTTP date, in milliseconds. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The wait a response asks for: Retry-After first, then a quota-reset header (seconds). */
export function requestedWaitMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = retryAfterMs(headers.get('retry-after'), now);
  if (retryAfter !== undefined) return retryAfter;
  for (const h of QUOTA_RESET_HEADERS) {
    const ms = retryAfterMs(headers.get(h), now);
    if (ms !== undefined) return ms;
  }
  return undefined;
}

/**
 * Statuses worth another attempt: 408, 429, 5xx, and 402 when it carries a wait header
 * (a spent quota, as Toggl sends it; a plain 402 is a billing problem, not transient).
 * 401 and 403 never are: the credentials will not get better by asking again.
 */
export function isRetryableStatus(status: number, headers: Headers): boolean {
  if (status === 408 || status === 429 || status >= 500) return true;
  if (status === 402) return requestedWaitMs(headers) !== undefined;
  return false;
}

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffMs(attempt: number, o: { baseMs?: number; capMs?: number; random?: () => number } = {}): number {
  const base = o.baseMs ?? 500;
  const cap = o.capMs ?? 30_000;
  const exp = Math.min(cap, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * (o.random ?? Math.random)());
}
