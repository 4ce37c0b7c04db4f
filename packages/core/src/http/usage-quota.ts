import { BronzeError } from '../errors.js';

/**
 * A quota the service reports in response headers ("used so far in each window"), as Strava's
 * `X-RateLimit-Limit: 100,1000` / `X-RateLimit-Usage: 95,300` (15 minutes, day). Reading
 * them lets a long backfill stop before the service refuses it, instead of meeting 429s.
 */
export interface UsageQuota {
  /** Header pairs; each holds one comma-separated number per window, in `windows` order. */
  headers: { limit: string; usage: string }[];
  /** The windows, in header order: when each one resets after `now`. */
  windows: { name: string; resetsAt: (now: Date) => Date }[];
  /** Fraction of a window's limit at which bronze holds back (default 0.95). */
  threshold?: number;
  /** A window resetting sooner than this is waited for; a later one stops the run (default 10 minutes). */
  maxPauseMs?: number;
}

/** Strava's windows: the 15-minute one resets at :00, :15, :30, :45; the daily one at UTC midnight. */
export const quarterHourWindow = { name: '15-minute', resetsAt: (now: Date) => new Date((Math.floor(now.getTime() / 900_000) + 1) * 900_000) };
export const utcDayWindow = { name: 'daily', resetsAt: (now: Date) => new Date((Math.floor(now.getTime() / 86_400_000) + 1) * 86_400_000) };

/**
 * The run must end now: a quota window is (nearly) spent and resets too late to wait for.
 * Core's stream loop ends on it like on Ctrl-C: what was read is committed with its cursor,
 * the run succeeds, and the message (when to run again) becomes a note of the run.
 */
export class QuotaStop extends BronzeError {
  constructor(message: string, readonly resumeAt: Date) {
    super(message, 1);
  }
}

/** What the headers of one response ask of the next request: nothing, a pause until a reset, or a stop. */
export type QuotaDecision = { action: 'go' } | { action: 'pause'; untilMs: number; reason: string } | { action: 'stop'; error: QuotaStop };

const numbers = (v: string | null) => (v ?? '').split(',').map((s) => Number(s.trim()));

export function quotaDecision(q: UsageQuota, headers: Headers, nowMs: number): QuotaDecision {
  const threshold = q.threshold ?? 0.95;
  const maxPause = q.maxPauseMs ?? 10 * 60_000;
  let decision: QuotaDecision = { action: 'go' };
  for (const pair of q.headers) {
    const limits = numbers(headers.get(pair.limit));
    const usages = numbers(headers.get(pair.usage));
    q.windows.forEach((w, i) => {
      const limit = limits[i];
      const used = usages[i];
      if (!(limit > 0) || !Number.isFinite(used) || used < threshold * limit) return;
      const reset = w.resetsAt(new Date(nowMs));
      const what = `${used} of ${limit} requests of the ${w.name} window used (${pair.usage})`;
      if (reset.getTime() - nowMs < maxPause) {
        if (decision.action === 'go' || (decision.action === 'pause' && reset.getTime() > decision.untilMs)) decision = { action: 'pause', untilMs: reset.getTime(), reason: `${what}; it resets at ${reset.toISOString()}` };
      } else if (decision.action !== 'stop' || reset > decision.error.resumeAt) {
        const message = `${what}: stopped before the limit, every record read so far is stored with its cursor; the backfill is incomplete: run again after ${reset.toISOString().replace(/\.\d{3}Z$/, 'Z')}${w.name === 'daily' ? ' (UTC midnight)' : ''}`;
        decision = { action: 'stop', error: new QuotaStop(message, reset) };
      }
    });
  }
  return decision;
}
