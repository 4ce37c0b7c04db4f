import type { Emitted } from '../contract.js';
import { compareCursor, type CursorValue } from './cursor-values.js';

/**
 * The records of a newest-first listing down to `stop` (by-field `stopAtCursor`): paging ends
 * at the first record older than it, so a run with nothing new costs one request; records
 * equal to it are read again (what the loader has stores nothing). A listing that cannot be
 * filtered cannot be asked for a range either: records at or after `until` are passed over.
 * Records without a usable value are handed over and stop nothing.
 */
export async function* downTo(items: AsyncIterable<Emitted>, valueOf: (item: Emitted) => CursorValue | undefined, stop: CursorValue | undefined, until: CursorValue | undefined): AsyncGenerator<Emitted> {
  for await (const item of items) {
    const value = valueOf(item);
    if (value !== undefined && stop !== undefined && compareCursor(value, stop) < 0) return;
    if (value !== undefined && until !== undefined && compareCursor(value, until) >= 0) continue;
    yield item;
  }
}
