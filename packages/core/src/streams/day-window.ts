import { checkpoint, type Checkpoint, type Emitted, type ReadArgs, type SourceContext } from '../contract.js';
import type { ApiStreamSpec, DayWindowKind } from './api-stream-types.js';
import { addDays, dayWindows, isoDay } from './day-windows.js';
import { listItems, rowsOf } from './listing.js';

/** The saved cursor of a day-window stream: the last calendar day read to its end. */
export interface DayWindowState {
  day: string;
}

/**
 * Reads calendar days in order, from the cursor minus the overlap (or the start day, or
 * --since) to today (or --until, exclusive). Each window's cursor commits with its records,
 * so a crash re-reads at most the window in flight; days without data move the cursor too.
 */
export async function* readDayWindows(spec: ApiStreamSpec, kind: DayWindowKind, args: ReadArgs<DayWindowState>, ctx: SourceContext): AsyncGenerator<Emitted | Checkpoint<DayWindowState>> {
  const to = args.until ? isoDay(new Date(args.until.getTime() - 1)) : isoDay(ctx.now());
  const from = args.since ? isoDay(args.since) : args.state?.day ? addDays(args.state.day, -kind.overlapDays) : kind.startDay;
  for (const w of dayWindows(from, to, kind.daysPerRequest ?? 1)) {
    if (ctx.signal.aborted) return;
    const listed: Emitted[] = [];
    for await (const item of listItems(spec, { from: w.from, to: w.to }, ctx)) listed.push(item);
    if (ctx.signal.aborted) return;
    if (kind.day) listed.sort((a, b) => byDay(kind, a, b));
    for (const item of listed) yield* await rowsOf(spec, item, ctx);
    if (ctx.signal.aborted) return;
    // An explicit --since range leaves the saved cursor as it is.
    if (!args.since && (!args.state?.day || w.to > args.state.day)) yield checkpoint({ day: w.to });
  }
}

function byDay(kind: DayWindowKind, a: Emitted, b: Emitted): number {
  const x = safeDay(kind, a.record);
  const y = safeDay(kind, b.record);
  return x < y ? -1 : x > y ? 1 : 0;
}

function safeDay(kind: DayWindowKind, record: unknown): string {
  try {
    return kind.day!(record) ?? '';
  } catch {
    return '';
  }
}
