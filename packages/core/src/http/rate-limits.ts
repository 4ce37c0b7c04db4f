// Rate limits that announce themselves in headers (GitHub's primary and secondary limits, and
// APIs that copied them): when the quota is spent, and how long a refusal asks to wait.

/** GitHub and others: the epoch second (or, from some APIs, the seconds) at which the quota resets. */
export const RESET_AT_HEADER = 'x-ratelimit-reset';
const REMAINING_HEADER = 'x-ratelimit-remaining';

/** `X-RateLimit-Reset` in epoch milliseconds: epoch seconds, or seconds from now for small values. */
export function resetAtMs(headers: Headers, now: number): number | undefined {
  const v = headers.get(RESET_AT_HEADER)?.trim();
  if (!v || !/^\d+(\.\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  // 1e9 s is 2001: a smaller value cannot be an epoch second, so it counts from now.
  return n >= 1e9 ? n * 1000 : now + n * 1000;
}

/**
 * When a response says no request is left (`X-RateLimit-Remaining: 0`), the instant the quota
 * comes back; undefined while requests are left. A good answer can carry it: the next request
 * would be refused, so the client holds it back until then.
 */
export function quotaSpentUntil(headers: Headers, now: number): number | undefined {
  const remaining = headers.get(REMAINING_HEADER)?.trim();
  if (remaining === undefined || remaining === '' || Number(remaining) > 0) return undefined;
  const at = resetAtMs(headers, now);
  return at !== undefined && at > now ? at : undefined;
}

/**
 * GitHub's secondary limit refuses with a 403 (or 429) and sometimes no header at all, only the
 * message "You have exceeded a secondary rate limit": GitHub asks to wait at least a minute
 * then (SECONDARY_LIMIT_WAIT_MS), longer on each refusal.
 */
export function isSecondaryLimit(status: number, text: string): boolean {
  return (status === 403 || status === 429) && /secondary rate limit|abuse detection/i.test(text);
}

export const SECONDARY_LIMIT_WAIT_MS = 60_000;

export const formatInstant = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
