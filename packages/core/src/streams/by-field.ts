import { checkpoint, type Checkpoint, type Emitted, type ReadArgs, type SourceContext } from '../contract.js';
import { dateWindows } from '../http/date-windows.js';
import type { DateWindow } from '../http/types.js';
import type { ApiStreamSpec, ByFieldKind, RequestParams } from './api-stream-types.js';
import { compareCursor, cursorValueOf, laterCursor, type CursorValue } from './cursor-values.js';
import { listItems, rowsOf } from './listing.js';

/** The saved cursor of a by-field stream (bronze_state.cursor). */
export interface ByFieldState {
  /** The greatest field value committed (ISO instant for time fields). */
  cursor?: CursorValue;
  /** A windowed backfill in progress: the next window starts at `next`; it began at `startedAt`. */
  backfill?: { next: string; startedAt: string };
}

type Out = Emitted | Checkpoint<ByFieldState>;

/**
 * A by-field read. Without a cursor: one listing (or backfill windows); with one: a listing
 * after (cursor − overlap). The cursor never passes a record not yet handed over: it moves
 * with each record of an ascending listing, else only at the listing's end.
 */
export async function* readByField(spec: ApiStreamSpec, kind: ByFieldKind, args: ReadArgs<ByFieldState>, ctx: SourceContext): AsyncGenerator<Out> {
  const type = kind.type ?? 'time';
  const now = ctx.now();
  const horizon = new Date(now.getTime() + (kind.backfill?.aheadMs ?? 0));
  if (args.since) {
    // An explicit range re-reads [since, until); the saved cursor stays as it is.
    if (kind.backfill) for (const window of dateWindows(args.since, args.until ?? horizon, kind.backfill.stepMs)) yield* rows(spec, { window }, ctx);
    else yield* rows(spec, { after: args.since, until: args.until }, ctx);
    return;
  }
  const state = args.state;
  const tooOld = type === 'time' && kind.maxAgeMs !== undefined && state?.cursor !== undefined && now.getTime() - Date.parse(String(state.cursor)) > kind.maxAgeMs;
  if (kind.backfill && (state?.backfill || state?.cursor === undefined || tooOld)) {
    const from = state?.backfill?.next ?? (tooOld ? new Date(Date.parse(String(state!.cursor)) - (kind.overlapMs ?? 0)) : kind.backfill.from);
    yield* backfill(spec, kind, new Date(from), horizon, state?.backfill?.startedAt ?? now.toISOString(), ctx);
    return;
  }
  const after = state?.cursor === undefined ? undefined : type === 'time' ? new Date(Date.parse(String(state.cursor)) - (kind.overlapMs ?? 0)) : state.cursor;
  yield* listing(spec, kind, { after, until: args.until }, state?.cursor, now, ctx);
}

async function* rows(spec: ApiStreamSpec, params: RequestParams, ctx: SourceContext): AsyncGenerator<Emitted> {
  for await (const item of listItems(spec, params, ctx)) yield* await rowsOf(spec, item, ctx);
}

/** Windows of [from, to), each committed as done; then the cursor, from the records or the start. */
async function* backfill(spec: ApiStreamSpec, kind: ByFieldKind, from: Date, to: Date, startedAt: string, ctx: SourceContext): AsyncGenerator<Out> {
  let greatest: CursorValue | undefined;
  const windows: DateWindow[] = dateWindows(from, to, kind.backfill!.stepMs);
  for (const window of windows) {
    for await (const item of listItems(spec, { window }, ctx)) {
      greatest = laterCursor(greatest, cursorValueOf(kind.field(item.record), kind.type ?? 'time'));
      yield* await rowsOf(spec, item, ctx);
    }
    // A window cut short by Ctrl-C is not done: the next run starts it again.
    if (ctx.signal.aborted) return;
    yield checkpoint({ backfill: { next: window.end.toISOString(), startedAt } });
  }
  const floor = kind.lagMs !== undefined ? new Date(Date.parse(startedAt) - kind.lagMs).toISOString() : undefined;
  const cursor = laterCursor(greatest, floor);
  yield checkpoint(cursor === undefined ? {} : { cursor });
}

async function* listing(spec: ApiStreamSpec, kind: ByFieldKind, params: RequestParams, saved: CursorValue | undefined, started: Date, ctx: SourceContext): AsyncGenerator<Out> {
  const type = kind.type ?? 'time';
  const valueOf = (item: Emitted) => cursorValueOf(kind.field(item.record), type);
  let greatest = saved;
  let items: AsyncIterable<Emitted> = listItems(spec, params, ctx);
  if (kind.order === 'descending') {
    // Listed newest first: hand over oldest first, or a batch of the newest would carry a
    // cursor past older records not yet read.
    const all: Emitted[] = [];
    for await (const item of items) all.push(item);
    if (ctx.signal.aborted) return;
    all.sort((a, b) => compareMaybe(valueOf(a), valueOf(b)));
    items = (async function* () {
      yield* all;
    })();
  }
  const stepwise = kind.order === 'ascending' || kind.order === 'descending';
  for await (const item of items) {
    const value = valueOf(item);
    yield* await rowsOf(spec, item, ctx);
    if (ctx.signal.aborted) return;
    greatest = laterCursor(greatest, value);
    if (stepwise && greatest !== undefined && greatest !== saved) yield checkpoint({ cursor: greatest });
  }
  if (ctx.signal.aborted) return;
  const floor = type === 'time' && kind.lagMs !== undefined ? new Date(started.getTime() - kind.lagMs).toISOString() : undefined;
  const cursor = laterCursor(greatest, floor);
  if (cursor !== undefined) yield checkpoint({ cursor });
}

function compareMaybe(a: CursorValue | undefined, b: CursorValue | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return compareCursor(a, b);
}
