import type { ReadArgs, SourceContext, Stream } from '../contract.js';
import type { ApiStreamSpec } from './api-stream-types.js';
import { readByField, type ByFieldState } from './by-field.js';
import { readDayWindows, type DayWindowState } from './day-window.js';
import { idField, listItems, rowsOf } from './listing.js';
import { withConditionalRequests } from './conditional-read.js';
import { checkByFieldOptions } from './listed-memory.js';

/**
 * An API stream that only declares: its request, paging, records and incremental kind. Core
 * runs the loop, the paging, the cursor and the --since/--until/--full-refresh ranges; the
 * cursor is yielded as checkpoint() after the records it covers, so it commits with them.
 */
export function defineApiStream<R = any, L = any>(spec: ApiStreamSpec<R, L>): Stream<R, ByFieldState | DayWindowState> {
  const kind = spec.incremental ?? { kind: 'snapshot' as const };
  if (kind.kind === 'by-field') checkByFieldOptions(spec.name, kind);
  return {
    name: spec.name,
    schema: spec.schema,
    id: typeof spec.id === 'string' ? idField(spec.id) : spec.id,
    timestamp: spec.timestamp,
    hashInput: spec.hashInput,
    hashText: spec.hashText,
    incremental: kind.kind,
    read: spec.conditional ? withConditionalRequests(read) : read,
  } as Stream<R, ByFieldState | DayWindowState>;

  async function* read(args: ReadArgs<any>, ctx: SourceContext) {
    if (kind.kind === 'by-field') yield* readByField(spec, kind, args, ctx);
    else if (kind.kind === 'day-window') yield* readDayWindows(spec, kind, args, ctx);
    else for await (const item of listItems(spec, {}, ctx)) yield* await rowsOf(spec, item, ctx);
  }
}
