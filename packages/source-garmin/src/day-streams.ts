import type { DayWindowKind } from '@bronze/core';
import type { GarminConfig } from './config.js';

/**
 * The day-window kind of Garmin's wellness streams: from GARMIN_START_DATE on the first run,
 * then from the cursor (the last day read) minus GARMIN_OVERLAP_DAYS, because Garmin
 * recomputes recent days (sleep, summaries). Range endpoints take up to 28 days a request.
 */
export function dayWindow<L>(config: GarminConfig, o: { daysPerRequest?: number; day?: (listed: L) => string | undefined } = {}): DayWindowKind<L> {
  return { kind: 'day-window', startDay: config.startDate, overlapDays: config.overlapDays, ...o };
}

/** A body that is a list, or nothing (an empty day). */
export const listOf = (body: unknown): any[] => (Array.isArray(body) ? body : []);

/** A body that is one object when the day has data (`key` set), else nothing. */
export const objectIf = (key: string) => (body: any): any[] => (body && typeof body === 'object' && !Array.isArray(body) && body[key] !== undefined && body[key] !== null ? [body] : []);
