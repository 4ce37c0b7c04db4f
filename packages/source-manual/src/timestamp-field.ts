import { FileImportError } from '@bronze/core';
import { readInstant, type DateFormat } from './timestamp.js';

/** Names tried first, in order (any case): the seed's names, then German bank columns. */
export const TIMESTAMP_FIELDS = ['timestamp', 'datetime', 'date', 'time', 'ts', 'datum', 'buchungstag', 'buchungsdatum', 'buchung'];

/** Then names shaped like a date field, in this order; within one shape, the file's column order. */
const NAME_SHAPES: RegExp[] = [/_at$/i, /[a-z]At$/, /^start/i, /^end/i, /time/i, /date/i, /datum/i];

/** How many of a file's first rows the choice looks at. */
export const SAMPLE_ROWS = 100;

export interface TimestampChoice {
  field?: string;
  /** Why: "source_timestamp from endTime", or what to do when none was found. */
  note: string;
}

type Row = Record<string, unknown>;

/** Digits as text (`1111111111`): a bank's payment symbol, an account or reference number. */
const DIGITS = /^\s*[+-]?\d+(?:[.,]\d+)?\s*$/;

/**
 * A field holds dates when most of its non-empty sampled values read as dates (80%, at least one).
 * `stringsOnly`, for a field chosen by its values alone: text that is only digits is no date
 * there (read as UNIX seconds, a reference number gave a bogus timestamp).
 */
function holdsDates(rows: Row[], field: string, format?: DateFormat, stringsOnly = false): boolean {
  let filled = 0;
  let dated = 0;
  for (const r of rows) {
    const v = r[field];
    if (v === undefined || v === null || v === '') continue;
    if (stringsOnly && typeof v !== 'string') return false;
    filled++;
    if (stringsOnly && DIGITS.test(v as string) && !format?.regex.test((v as string).trim())) continue;
    if (readInstant(v, format)) dated++;
  }
  return dated > 0 && dated >= 0.8 * filled;
}

function fieldsOf(rows: Row[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

/**
 * Picks the field source_timestamp is read from, on a file's first rows: --timestamp-field
 * when given; else the first of TIMESTAMP_FIELDS, then of NAME_SHAPES (`*_at`, `*At`,
 * `start*`, `end*`, `*time*`, `*date*`, `*datum*`), whose values read as dates; else any
 * field whose string values all read as dates. With --date-format, a format that matches no
 * value of the file is an error naming the file (before anything of it is stored).
 */
export function chooseTimestampField(path: string, rows: Row[], o: { field?: string; format?: DateFormat }): TimestampChoice {
  const sample = rows.slice(0, SAMPLE_ROWS);
  if (o.format && sample.length) checkFormatMatches(path, sample, o.format, o.field);
  if (o.field) return { field: o.field, note: `source_timestamp from ${o.field}` };
  const fields = fieldsOf(sample);
  const candidates: string[] = [];
  for (const name of TIMESTAMP_FIELDS) candidates.push(...fields.filter((f) => f.toLowerCase() === name));
  for (const shape of NAME_SHAPES) candidates.push(...fields.filter((f) => shape.test(f)));
  for (const f of candidates) if (holdsDates(sample, f, o.format)) return { field: f, note: `source_timestamp from ${f}` };
  for (const f of fields) if (holdsDates(sample, f, o.format, true)) return { field: f, note: `source_timestamp from ${f}` };
  return {
    note:
      'no source_timestamp: no field holds dates in the first rows; ' +
      'pass --timestamp-field FIELD (and --date-format, e.g. DD/MM/YYYY, for dates written otherwise than YYYY-MM-DD or DD.MM.YYYY)',
  };
}

function checkFormatMatches(path: string, rows: Row[], format: DateFormat, field?: string): void {
  const fields = field ? [field] : fieldsOf(rows);
  let example: string | undefined;
  for (const f of fields) {
    for (const r of rows) {
      const v = r[f];
      if (typeof v !== 'string' || !v.trim()) continue;
      if (format.regex.test(v.trim())) return;
      example ??= `${f}: ${JSON.stringify(v)}`;
    }
  }
  throw new FileImportError(
    path,
    `--date-format ${format.pattern} matches no value${field ? ` of ${field}` : ''} in the first ${rows.length} rows` +
      `${example ? ` (e.g. ${example})` : ''}; pass the format the dates are written in (e.g. --date-format YYYY-MM-DD, DD.MM.YYYY, MM/DD/YYYY)`,
  );
}
