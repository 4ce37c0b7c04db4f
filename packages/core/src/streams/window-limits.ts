import type { SourceContext } from '../contract.js';
import { HttpError } from '../http/client.js';
import { DAY_MS } from '../http/date-windows.js';
import type { DateWindow } from '../http/types.js';
import type { ApiStreamSpec, ByFieldKind } from './api-stream-types.js';

/** What a backfill window's answer says of the API's limits: too old (earliest), too full (capacity). */

const MIN_WINDOW_MS = 60_000;

/**
 * The two halves to read instead of a window that returned as many records as the API gives
 * at most (backfill.capacity): records past the limit were not sent. Undefined when under it.
 */
export function fullWindow(spec: ApiStreamSpec, kind: ByFieldKind, window: DateWindow, count: number, ctx: SourceContext): DateWindow[] | undefined {
  const capacity = kind.backfill?.capacity;
  if (capacity === undefined || count < capacity) return undefined;
  const width = window.end.getTime() - window.start.getTime();
  if (width <= MIN_WINDOW_MS) {
    throw new Error(`${spec.name}: the API returned ${count} records, the most it sends at once, for the window ${window.start.toISOString()} to ${window.end.toISOString()}, ${width / 1000} s wide: records past them cannot be asked for, so the window is not marked read`);
  }
  const middle = new Date(window.start.getTime() + Math.ceil(width / 2 / 1000) * 1000);
  ctx.logger.info(`${spec.name}: ${count} records for ${window.start.toISOString()} to ${window.end.toISOString()}, the API's limit: reading it again as two windows`);
  return [{ start: window.start, end: middle }, { start: middle, end: window.end }];
}

/**
 * Where the backfill goes on when the API refused `window` as older than it serves
 * (backfill.earliest), said in the run's summary; undefined when the error stands. A moment
 * at or before the window's start (the API's day in another time zone) moves one day on, so
 * the backfill always advances.
 */
export function servedFrom(spec: ApiStreamSpec, kind: ByFieldKind, err: unknown, window: DateWindow, ctx: SourceContext): Date | undefined {
  const earliest = kind.backfill?.earliest;
  if (!earliest || !(err instanceof HttpError) || ctx.signal.aborted) return undefined;
  const named = earliest.from(err);
  if (!named || Number.isNaN(named.getTime())) return undefined;
  const from = named > window.start ? named : new Date(window.start.getTime() + DAY_MS);
  const text = `${spec.name}: the API refused the backfill's window from ${window.start.toISOString()} (${err.message}); the backfill goes on from ${from.toISOString()}, so the records of ${window.start.toISOString()} to ${from.toISOString()} were not read${earliest.advice ? `: ${earliest.advice}` : ''}`;
  ctx.logger.warn(text);
  ctx.note?.(text);
  return from;
}
