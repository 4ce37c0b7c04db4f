import { checkpoint, defineStream, emit, type Checkpoint, type Emitted, type HttpRequest, type SourceContext, type Stream, type TSchema } from '@bronze/core';
import { displayName, garminJson } from '../client.js';
import type { GarminConfig } from '../config.js';
import { dayWindows, daysBetween, readWindow } from '../days.js';
import { garminInstant } from '../time.js';

/** Cursor of a day-keyed stream: the latest calendar day a record was read for. */
export interface DayState {
  day: string;
}

export interface DayStreamSpec<R> {
  name: string;
  schema: TSchema;
  /** One request per day (the name is the account's display name, for endpoints that take it)… */
  perDay?: (day: string, name: string) => HttpRequest;
  needsDisplayName?: boolean;
  /** …or one request per window of days. */
  range?: { maxDays: number; request: (from: string, to: string) => HttpRequest };
  /** The records in a response body; an empty day gives []. */
  items: (body: any) => R[];
  /** The calendar day a record belongs to. */
  day: (record: R) => string;
  /** raw_id; default the day. */
  id?: (record: R) => string;
  timestamp?: (record: R) => Date | undefined;
}

/**
 * A Garmin stream keyed by calendar day, read day by day (or window by window) in date
 * order, so the cursor committed with a batch never passes a day not yet stored. Each run
 * re-reads the last `overlapDays` before the cursor: unchanged days insert nothing, revised
 * days become new versions.
 */
export function dayKeyedStream<R>(spec: DayStreamSpec<R>, config: GarminConfig): Stream<R, DayState> {
  return defineStream<R, DayState>({
    name: spec.name,
    schema: spec.schema,
    id: spec.id ?? spec.day,
    timestamp: spec.timestamp ?? ((r) => garminInstant(spec.day(r))),
    async *read(args, ctx: SourceContext): AsyncIterable<Emitted<R> | Checkpoint<DayState>> {
      const { from, to } = readWindow(config, args.state?.day, args, ctx.now());
      let found = 0;
      if (spec.perDay) {
        const name = spec.needsDisplayName ? await displayName(config, ctx) : '';
        for (const day of daysBetween(from, to)) {
          if (ctx.signal.aborted) return;
          const res = await garminJson<unknown>(config, ctx, spec.perDay(day, name));
          for (const item of spec.items(res.body)) {
            found++;
            yield emit(item, { api: res.api, metadata: { requestedDay: day } });
          }
        }
      } else {
        for (const w of dayWindows(from, to, spec.range!.maxDays)) {
          if (ctx.signal.aborted) return;
          const res = await garminJson<unknown>(config, ctx, spec.range!.request(w.from, w.to));
          const items = [...spec.items(res.body)].sort((a, b) => (safeDay(spec, a) < safeDay(spec, b) ? -1 : 1));
          for (const item of items) {
            found++;
            yield emit(item, { api: res.api, metadata: { window: w } });
          }
        }
      }
      // A stream this account has no data for (no HRV on this watch) would otherwise have no
      // cursor and re-read its whole history every run; later runs read only the overlap.
      if (!found && !args.state && !args.since) yield checkpoint({ day: to });
    },
    nextState(state, record) {
      const day = safeDay(spec, record);
      return !day || (state && state.day >= day) ? (state ?? { day: '' }) : { day };
    },
  });
}

function safeDay<R>(spec: DayStreamSpec<R>, record: R): string {
  try {
    return spec.day(record) ?? '';
  } catch {
    return '';
  }
}

/** A body that is a list, or nothing. */
export const listOf = (body: unknown): any[] => (Array.isArray(body) ? body : []);
/** A body that is one object when the day has data. */
export const objectIf = (key: string) => (body: any): any[] => (body && typeof body === 'object' && !Array.isArray(body) && body[key] !== undefined && body[key] !== null ? [body] : []);
