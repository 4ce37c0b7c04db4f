import { emit, type Emitted, type FileReaders } from '@bronze/core';
import { byteSource, where, type TakeoutFile } from './entry.js';

/**
 * The rows of a Takeout CSV (YouTube subscriptions, Fit daily metrics), each as
 * `wrap(row)` in `stream`; a row whose field count differs from the header's is stored
 * invalid with its fields, lines above the header go to `other` as written.
 */
export async function* readCsvRows(
  f: TakeoutFile,
  files: FileReaders,
  stream: string,
  wrap: (row: Record<string, string>) => unknown,
): AsyncIterable<Emitted> {
  for await (const r of files.csv(byteSource(f))) {
    const metadata = where(f, { line: r.line });
    if (r.preamble) {
      yield emit({ path: f.path, preamble: r.preamble }, { stream: 'other', metadata, rawId: `preamble:${f.path}` });
    } else if (r.row) {
      yield emit(wrap(r.row), { stream, metadata });
    } else {
      yield emit({ path: f.path, line: r.line, fields: r.fields }, { stream, metadata, invalid: `${f.label} line ${r.line}: ${r.error ?? 'not a row of the table'}`, rawId: `line:${f.path}:${r.line}` });
    }
  }
}
