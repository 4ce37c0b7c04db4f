import type { GarminConfig } from './config.js';

/** Calendar days as Garmin keys them: "YYYY-MM-DD" (UTC arithmetic; no time zone shifts). */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return isoDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000));
}

/** Every day of [from, to], both included. */
export function* daysBetween(from: string, to: string): Iterable<string> {
  for (let d = from; d <= to; d = addDays(d, 1)) yield d;
}

/** [from, to] cut into consecutive windows of at most `maxDays` days. */
export function* dayWindows(from: string, to: string, maxDays: number): Iterable<{ from: string; to: string }> {
  for (let start = from; start <= to; start = addDays(start, maxDays)) {
    const end = addDays(start, maxDays - 1);
    yield { from: start, to: end < to ? end : to };
  }
}

/**
 * The days a run reads: from --since, else the last day with data minus the overlap
 * (Garmin recomputes recent days: sleep, summaries), else the configured start date;
 * up to --until (exclusive) or today.
 */
export function readWindow(config: GarminConfig, lastDay: string | undefined, args: { since?: Date; until?: Date }, now: Date): { from: string; to: string } {
  const to = args.until ? isoDay(new Date(args.until.getTime() - 1)) : isoDay(now);
  const from = args.since ? isoDay(args.since) : lastDay ? addDays(lastDay, -config.overlapDays) : config.startDate;
  return { from, to };
}
