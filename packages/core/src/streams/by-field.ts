import { checkpoint, type Checkpoint, type Emitted, type ReadArgs, type SourceContext } from '../contract.js';
import { dateWindows } from '../http/date-windows.js';
import type { DateWindow } from '../http/types.js';
import type { ApiStreamSpec, ByFieldKind, RequestParams } from './api-stream-types.js';
import { compareCursor, cursorValueOf, laterCursor, type CursorValue } from './cursor-values.js';
import { ListedMemory, type ListedState } from './listed-memory.js';
import { idField, listItems, rowsOf } from './listing.js';
import { downTo } from './newest-first.js';
import { fullWindow, servedFrom } from './window-limits.js';

export type { ByFieldState } from './api-stream-types.js';

type Out = Emitted | Checkpoint<ListedState>;

/**
 * A by-field read. Without a cursor: one listing (or backfill windows); with one: a listing
 * after (cursor − overlap). The cursor never passes a record not yet handed over: it moves
 * with each record of an ascending listing, else only at the listing's end.
 */
export async function* readByField(spec: ApiStreamSpec, kind: ByFieldKind, args: ReadArgs<ListedState>, ctx: SourceContext): AsyncGenerator<Out> {
  const memory = new ListedMemory(kind, typeof spec.id === 'string' ? idField(spec.id) : spec.id, args.state);
  try {
    yield* read(spec, kind, memory, args, ctx);
  } finally {
    kind.onEnd?.(memory.latest, ctx);
  }
}

async function* read(spec: ApiStreamSpec, kind: ByFieldKind, memory: ListedMemory, args: ReadArgs<ListedState>, ctx: SourceContext): AsyncGenerator<Out> {
  const type = kind.type ?? 'time';
  const now = ctx.now();
  const horizon = new Date(now.getTime() + (kind.backfill?.aheadMs ?? 0));
  if (args.since) {
    // An explicit range re-reads [since, until); the saved cursor stays as it is.
    if (kind.backfill) yield* rangeWindows(spec, kind, dateWindows(args.since, args.until ?? horizon, kind.backfill.stepMs), ctx);
    else yield* rows(spec, kind, { after: args.since, until: args.until }, ctx);
    return;
  }
  const state = args.state;
  const tooOld = type === 'time' && kind.maxAgeMs !== undefined && state?.cursor !== undefined && now.getTime() - Date.parse(String(state.cursor)) > kind.maxAgeMs;
  if (kind.backfill && (state?.backfill || state?.cursor === undefined || tooOld)) {
    const from = state?.backfill?.next ?? (tooOld ? new Date(Date.parse(String(state!.cursor)) - (kind.overlapMs ?? 0)) : kind.backfill.from);
    yield* backfill(spec, kind, memory, new Date(from), horizon, state?.backfill?.startedAt ?? now.toISOString(), ctx);
    return;
  }
  if (kind.historyOnly && kind.backfill) return;
  const after = state?.cursor === undefined ? undefined : type === 'time' ? new Date(Date.parse(String(state.cursor)) - (kind.overlapMs ?? 0)) : state.cursor;
  yield* listing(spec, kind, memory, { after, until: args.until }, state?.cursor, now, ctx);
}

async function* rows(spec: ApiStreamSpec, kind: ByFieldKind, params: RequestParams, ctx: SourceContext): AsyncGenerator<Emitted> {
  for await (const item of listed(spec, kind, params, ctx)) yield* await rowsOf(spec, item, ctx);
}

/** An explicit range's windows, a full one (backfill.capacity) read again in halves. */
async function* rangeWindows(spec: ApiStreamSpec, kind: ByFieldKind, windows: DateWindow[], ctx: SourceContext): AsyncGenerator<Emitted> {
  for (let i = 0; i < windows.length; i++) {
    let count = 0;
    for await (const item of listed(spec, kind, { window: windows[i] }, ctx)) {
      count++;
      yield* await rowsOf(spec, item, ctx);
    }
    if (ctx.signal.aborted) return;
    const halves = fullWindow(spec, kind, windows[i], count, ctx);
    if (halves) windows.splice(i--, 1, ...halves);
  }
}

/** The listing's records; a newest-first listing that cannot be filtered ends at `after` (stopAtCursor). */
function listed(spec: ApiStreamSpec, kind: ByFieldKind, params: RequestParams, ctx: SourceContext): AsyncIterable<Emitted> {
  const items = listItems(spec, params, ctx);
  if (!kind.stopAtCursor) return items;
  const type = kind.type ?? 'time';
  return downTo(items, (item) => cursorValueOf(kind.field(item.record), type), cursorValueOf(params.after, type), cursorValueOf(params.until, type));
}

/** Windows of [from, to), each committed as done; then the cursor, from the records or the start. */
async function* backfill(spec: ApiStreamSpec, kind: ByFieldKind, memory: ListedMemory, from: Date, to: Date, startedAt: string, ctx: SourceContext): AsyncGenerator<Out> {
  let greatest: CursorValue | undefined;
  const windows: DateWindow[] = dateWindows(from, to, kind.backfill!.stepMs);
  for (let i = 0; i < windows.length; i++) {
    const window = windows[i];
    let listedAny = false;
    let listedCount = 0;
    try {
      for await (const item of listItems(spec, { window }, ctx)) {
        listedAny = true;
        listedCount++;
        greatest = laterCursor(greatest, cursorValueOf(kind.field(item.record), kind.type ?? 'time'));
        memory.collect(item.record);
        yield* await rowsOf(spec, item, ctx);
      }
    } catch (err) {
      const served = listedAny ? undefined : servedFrom(spec, kind, err, window, ctx);
      if (!served) throw err;
      windows.splice(i, windows.length - i, ...dateWindows(served, to, kind.backfill!.stepMs));
      i--;
      continue;
    }
    // A window cut short by Ctrl-C is not done: the next run starts it again.
    if (ctx.signal.aborted) return;
    const halves = fullWindow(spec, kind, window, listedCount, ctx);
    if (halves) {
      // Its records are stored; read again, they are unchanged, and the ones cut off are new.
      windows.splice(i, 1, ...halves);
      i--;
      continue;
    }
    yield checkpoint(memory.state({ backfill: { next: window.end.toISOString(), startedAt } }));
  }
  const floor = kind.lagMs !== undefined ? new Date(Date.parse(startedAt) - kind.lagMs).toISOString() : undefined;
  const cursor = laterCursor(greatest, floor);
  yield checkpoint(memory.state(cursor === undefined ? {} : { cursor }));
}

/**
 * One listing after the cursor. Ascending: each record's state commits with its rows, and a
 * record older than the one before fails the read with the state put back as it was (the
 * cursor must not pass records not yet listed). Descending: read whole, then handed over
 * oldest first, committed per record. stopAtCursor and unordered: committed at the end.
 * With `unchanged`, a record handled before with the same key yields nothing.
 */
async function* listing(spec: ApiStreamSpec, kind: ByFieldKind, memory: ListedMemory, params: RequestParams, saved: CursorValue | undefined, started: Date, ctx: SourceContext): AsyncGenerator<Out> {
  const type = kind.type ?? 'time';
  const valueOf = (item: Emitted) => cursorValueOf(kind.field(item.record), type);
  let greatest = saved;
  let previous: CursorValue | undefined;
  let items: AsyncIterable<Emitted> | Emitted[] = listed(spec, kind, params, ctx);
  const order = typeof kind.order === 'function' ? kind.order(params) : kind.order;
  if (order === 'descending' && !kind.stopAtCursor) {
    // Listed newest first: hand over oldest first, or a batch of the newest would carry a
    // cursor past older records not yet read.
    const all: Emitted[] = [];
    for await (const item of items) all.push(item);
    if (ctx.signal.aborted) return;
    all.sort((a, b) => compareMaybe(valueOf(a), valueOf(b)));
    items = all;
  }
  const stepwise = !kind.stopAtCursor && (order === 'ascending' || order === 'descending');
  let count = 0;
  for await (const item of items) {
    count++;
    const value = valueOf(item);
    if (order === 'ascending' && value !== undefined) {
      if (previous !== undefined && compareCursor(value, previous) < 0) {
        // What this read handed over is stored, but its cursor may already be past records the
        // listing has not given yet: the state goes back to what the read found.
        yield checkpoint(memory.saved);
        throw new Error(`${spec.name}: the listing gave a record of ${value} after one of ${previous}, so it is not in ascending order and the cursor cannot move safely; the cursor stays where this run found it`);
      }
      previous = value;
    }
    memory.collect(item.record);
    const skip = memory.unchanged(item.record, value);
    if (!skip) yield* await rowsOf(spec, item, ctx);
    if (ctx.signal.aborted) return;
    if (!skip) memory.handled(item.record, value);
    greatest = laterCursor(greatest, value);
    if (stepwise && greatest !== undefined && (greatest !== saved || memory.dirty)) yield checkpoint(memory.state({ cursor: greatest }));
  }
  if (ctx.signal.aborted) return;
  const capacity = kind.backfill?.capacity;
  if (capacity !== undefined && count >= capacity) {
    // As many changes as the API sends at once: others may not have been sent, so read it all.
    const text = `${spec.name}: ${count} records changed since ${String(params.after instanceof Date ? params.after.toISOString() : params.after)}, the most the API sends at once: the whole history is read again by windows from ${new Date(kind.backfill!.from).toISOString()}`;
    ctx.logger.warn(text);
    ctx.note?.(text);
    yield* backfill(spec, kind, memory, new Date(kind.backfill!.from), new Date(started.getTime() + (kind.backfill!.aheadMs ?? 0)), started.toISOString(), ctx);
    return;
  }
  const floor = type === 'time' && kind.lagMs !== undefined ? new Date(started.getTime() - kind.lagMs).toISOString() : undefined;
  const cursor = laterCursor(greatest, floor);
  if (cursor !== undefined) yield checkpoint(memory.state({ cursor }));
}

function compareMaybe(a: CursorValue | undefined, b: CursorValue | undefined): number {
  if (a === undefined) return b === undefined ? 0 : -1;
  if (b === undefined) return 1;
  return compareCursor(a, b);
}
