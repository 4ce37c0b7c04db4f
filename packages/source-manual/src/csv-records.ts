import { basename } from 'node:path';
import { dataLikeNames, emit, type ImportedFile, type SourceContext } from '@bronze/core';
import { fieldsOfLine, headerAbove, headerlessNote, headerLooksLikeData, preambleAboveBookings, recordNotHeader } from './header-check.js';
import { headerKeys, rowWithEmptyTail, rowWithoutUnnamedTail } from './empty-trailing-fields.js';
import { rowRead, type Read, type Reading } from './row-reads.js';

type CsvOptions = Parameters<SourceContext['files']['csv']>[1];

/**
 * A CSV table's records: the preamble (lines above the header) as one record, then one row per
 * line. `again`: the second reading of a file whose header line turned out to be a record
 * (recordNotHeader), without a header, its preamble already stored.
 */
export async function* csvRecords(file: ImportedFile, r: Reading, ctx: SourceContext, again?: CsvOptions): AsyncIterable<Read> {
  const { stream, ids, config } = r;
  const options = again ?? { encoding: config.encoding, delimiter: config.delimiter, skipLines: config.skipLines, header: !config.noHeader, repeatedColumns: 'number' as const };
  let headerWarning: string | undefined;
  let preamble: string[] = [];
  let keys: string[] | undefined;
  let header: { line: number; written: string[] } | undefined;
  const emptyTails: number[] = [];
  const shortTails: number[] = [];
  let rows = 0;
  for await (const c of ctx.files.csv(file, options)) {
    if (!c.preamble) rows++;
    if (c.preamble) {
      // The lines above the header (account, period, balance), as written: one record, stored
      // once the header is judged (bookings below a names line are rows, not preamble).
      if (!again) preamble = c.preamble;
    } else {
      if (c.header && config.noHeader === undefined && recordNotHeader(c.header.written)) {
        const kept = preambleAboveBookings(preamble);
        if (kept.length) yield preambleRead(kept, r);
        const first = kept.length < preamble.length ? { line: kept.length + 1, written: fieldsOfLine(preamble[kept.length]) } : c.header;
        ctx.note?.(headerlessNote(file.path, c.header, kept, first));
        return yield* csvRecords(file, r, ctx, { ...options, header: false, skipLines: kept.length });
      }
      if (preamble.length && !again && rows === 1) yield preambleRead(preamble, r);
      if (c.header) {
        headerWarning = headerNotes(file, c.header, preamble, ctx);
        keys = headerKeys(c.header.written);
        header = c.header;
      }
      const tailed = c.row || !keys ? undefined : rowWithEmptyTail(keys, c.fields);
      if (tailed) emptyTails.push(c.line);
      const short = c.row || tailed || !keys ? undefined : rowWithoutUnnamedTail(keys, header!.written, c.fields);
      if (short) shortTails.push(c.line);
      const row = c.row ?? tailed ?? short;
      const repeat = header && repeatsHeader(c.fields, header.written) ? `line ${c.line} repeats the header row (line ${header.line}): no record of the table` : undefined;
      if (row) {
        const read = rowRead(row, r, { line: c.line }, [headerWarning, repeat].filter(Boolean).join('; ') || undefined);
        // Not in the sample the timestamp field is chosen on: "Date" under Date is no date.
        yield repeat ? { emitted: read.emitted } : read;
      }
      else {
        const bad = { line: c.line, fields: c.fields };
        yield { emitted: emit(bad, { stream, invalid: c.error, countedId: ids.of(c.fields, 'invalid'), metadata: { line: c.line } }) };
      }
    }
  }
  if (rows === 0 && preamble.length && !again) yield preambleRead(preamble, r);
  if (rows === 0 && !again && !config.noHeader) {
    // A header and nothing below: perhaps a one-booking export without a header row.
    const headerless = { ...options, header: false, skipLines: preamble.length };
    const only = await onlyLine(file, headerless, ctx);
    if (only && config.noHeader === undefined && recordNotHeader(only.fields)) {
      ctx.note?.(headerlessNote(file.path, { line: only.line, written: only.fields }, preamble));
      return yield* csvRecords(file, r, ctx, headerless);
    }
    if (only) ctx.note?.(onlyHeaderNote(file.path, only));
  }
  if (emptyTails.length) {
    ctx.note?.(`${basename(file.path)}: ${linesNamed(emptyTails)} end in empty fields beyond the header's ${keys!.length} columns; kept as "column_${keys!.length + 1}"…`);
  }
  if (shortTails.length) {
    ctx.note?.(`${basename(file.path)}: ${linesNamed(shortTails)} have no field for the header's unnamed last column (line ${header!.line} ends in the delimiter); read by the names they have`);
  }
}

const linesNamed = (lines: number[]) => (lines.length === 1 ? `line ${lines[0]}` : `${lines.length} rows (lines ${lines[0]}…${lines[lines.length - 1]})`);

/** The preamble's lines as one record (line 1, role preamble). */
function preambleRead(lines: string[], { stream, ids }: Reading): Read {
  const record = { preamble: lines };
  return { emitted: emit(record, { stream, countedId: ids.of(record, 'preamble'), metadata: { line: 1, role: 'preamble' } }) };
}

/**
 * A row that spells the header again (tables converted from PDF statements repeat it on
 * every page): stored as written, `warning`, so a silver layer does not take it for a booking.
 */
function repeatsHeader(fields: string[], written: string[]): boolean {
  if (fields.length < written.length) return false;
  for (let i = 0; i < fields.length; i++) if (fields[i] !== (written[i] ?? '')) return false;
  return true;
}

/** The one line of a table with a header and no row below it. */
async function onlyLine(file: ImportedFile, options: CsvOptions, ctx: SourceContext): Promise<{ line: number; fields: string[] } | undefined> {
  for await (const c of ctx.files.csv(file, options)) if (!c.preamble) return { line: c.line, fields: c.fields };
  return undefined;
}

function onlyHeaderNote(path: string, { line, fields }: { line: number; fields: string[] }): string {
  const shown = fields.slice(0, 8).map((f) => JSON.stringify(f)).join(', ') + (fields.length > 8 ? ', …' : '');
  return `${basename(path)}: only a header row (line ${line}: ${shown}), nothing below it: if that line is data, import it again with --no-header`;
}

/**
 * What the first row tells of the header: names repeated (the later ones are keyed `name#2`…,
 * said in the summary), or names that look like data (the warning every row then carries,
 * pointing at a preamble line that reads as the header, when there is one).
 */
function headerNotes(file: ImportedFile, header: { line: number; written: string[] }, preamble: string[], ctx: SourceContext): string | undefined {
  const repeated = [...new Set(header.written.filter((n, i) => n.trim() !== '' && header.written.indexOf(n) !== i))];
  if (repeated.length) {
    const shown = repeated.map((n) => JSON.stringify(n)).join(', ');
    ctx.note?.(`${basename(file.path)}: line ${header.line} names ${shown} more than once; the later columns are keyed "<name>#2", "#3"…`);
  }
  const dataLike = dataLikeNames(header.written);
  return dataLike.length ? headerLooksLikeData(dataLike, header.line, headerAbove(preamble, { trailingEmpty: true })) : undefined;
}
