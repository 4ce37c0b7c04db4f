import type { ArchiveProgress } from '@bronze/core';
import type { CliIo } from './io.js';

/** A progress line per finished table, and at most one a second while a big table streams. */
export function archiveProgress(io: CliIo, verb: string): ArchiveProgress {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (!p.done && now - last < 1000) return;
    last = now;
    io.err(`${verb} ${p.table} (${p.tableIndex + 1}/${p.tables}): ${p.rows.toLocaleString('en-US')} rows${p.done ? ', done' : ''}`);
  };
}
