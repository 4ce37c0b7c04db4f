import type { Emitted, ImportedFile } from '@bronze/core';
import { choicesOf, dateFormatOf } from '../run-state.js';
import { chooseTimestampField, SAMPLE_ROWS } from '../timestamp-field.js';
import { dateText } from './sheet-header.js';
import type { SheetReading, SheetRecord } from './sheet-records.js';

/**
 * The timestamp field of a sheet, chosen on its first rows before any is stored, as for a
 * CSV file: a date-styled cell is seen as its ISO date for the choice (a serial such as
 * 45292 reads as no date otherwise), and when the chosen field is such a column its numbers
 * are read as Excel date serials (StreamChoice.serialDates).
 */
export async function* withTimestampChoice(records: AsyncIterable<SheetRecord>, s: SheetReading, file: ImportedFile, done: (rows: number, note?: string) => void): AsyncIterable<Emitted> {
  const it = records[Symbol.asyncIterator]();
  const head: SheetRecord[] = [];
  let failure: unknown;
  try {
    while (head.length < SAMPLE_ROWS) {
      const next = await it.next();
      if (next.done) break;
      head.push(next.value);
    }
  } catch (err) {
    failure = err; // the rows before the damage are stored, after the choice
  }
  const dateKeys = new Set(head.flatMap((h) => h.dateKeys));
  const sample = head.map((h) => {
    const seen: Record<string, unknown> = { ...h.row };
    for (const k of h.dateKeys) seen[k] = dateText(Number(h.row[k]), s.date1904) ?? h.row[k];
    return seen;
  });
  const format = dateFormatOf(s.config);
  const choice = chooseTimestampField(file.path, sample, { field: s.config.timestampField, format });
  const serial = choice.field !== undefined && dateKeys.has(choice.field);
  choicesOf(s.config).set(s.stream, { field: choice.field, format: choice.format ?? format, ...(serial ? { serialDates: s.date1904 ? '1904' : '1900' } : {}) });
  let rows = 0;
  for (const h of head) {
    rows++;
    yield h.emitted;
  }
  if (failure !== undefined) throw failure;
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    rows++;
    yield next.value.emitted;
  }
  done(rows, rows ? `${choice.note}${serial ? ` (Excel dates, ${s.date1904 ? '1904' : '1900'} date system)` : ''}` : undefined);
}

/**
 * A sheet's records, ready to store, and its line of the summary: its rows and timestamp
 * field, or that it held nothing, or a header row alone (.xlsx and .ods say the same).
 */
export async function* sheetStream(records: AsyncIterable<SheetRecord>, s: SheetReading, file: ImportedFile, summary: (what: string) => void): AsyncIterable<Emitted> {
  yield* withTimestampChoice(records, s, file, (n, timestampNote) => {
    const alone = s.headerRow !== undefined ? `only a header row (row ${s.headerRow}): nothing stored from it; if it is data, import it again with --no-header --force` : undefined;
    summary(n ? `${n} row${n === 1 ? '' : 's'}; ${timestampNote}` : (alone ?? 'no rows: nothing stored from it'));
  });
}
