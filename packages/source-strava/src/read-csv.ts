import { createHash } from 'node:crypto';
import { canonicalJson, emit, type ByteSource, type Emitted, type SourceContext } from '@bronze/core';
import { activityIdOf } from './activity-index.js';

function rowId(value: unknown): string {
  return `row:${createHash('sha256').update(canonicalJson(value).text).digest('hex')}`;
}

/**
 * The rows of one CSV of the export into its stream. Strava writes them comma-separated in
 * UTF-8; the delimiter is given, not guessed, so a one-column CSV (blocks.csv) reads too.
 * Returns through `rows` how many rows it yielded (0: the caller keeps the file itself).
 */
export async function* csvRows(source: ByteSource, file: string, stream: string, ctx: SourceContext, count: { rows: number }): AsyncIterable<Emitted> {
  const prefix = stream === 'export_other_csv' ? `${file}:` : '';
  for await (const r of ctx.files.csv(source, { delimiter: ',', repeatedColumns: 'number' })) {
    const metadata = { entry: file, line: r.line };
    count.rows++;
    if (r.preamble) {
      const record = { preamble: r.preamble };
      yield emit(record, { stream, metadata, countedId: `${prefix}preamble:${rowId(record)}` });
    } else if (!r.row) {
      yield emit({ fields: r.fields }, { stream, metadata, invalid: `${file} ${r.error}`, countedId: `${prefix}invalid:${rowId(r.fields)}` });
    } else if (stream === 'export_activities') {
      const id = activityIdOf(r.row);
      yield emit(r.row, { stream, metadata, ...(id ? {} : { invalid: `${file} line ${r.line}: no Activity ID`, countedId: `invalid:${rowId(r.row)}` }) });
    } else {
      yield emit(r.row, { stream, metadata, countedId: `${prefix}${rowId(r.row)}` });
    }
  }
}
