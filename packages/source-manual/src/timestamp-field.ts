import { FileImportError } from '@bronze/core';
import { readInstant, type DateFormat } from './timestamp.js';
import { dateOrderOf } from './date-order.js';
import { fieldNamesOf, fieldOf } from './field-path.js';

/** Names tried first, in order (any case): the seed's names, then German bank columns. */
export const TIMESTAMP_FIELDS = ['timestamp', 'datetime', 'date', 'time', 'ts', 'datum', 'buchungstag', 'buchungsdatum', 'buchung'];

/** Then names shaped like a date field, in this order; within one shape, the file's column order. */
const NAME_SHAPES: RegExp[] = [/_at$/i, /[a-z]At$/, /^start/i, /^end/i, /time/i, /date/i, /datum/i];

/** How many of a file's first rows the choice looks at. */
export const SAMPLE_ROWS = 100;

export interface TimestampChoice {
  field?: string;
  /** How the field's dates are written, when its values told (no --date-format given): DD/MM/YYYY or MM/DD/YYYY. */
  format?: DateFormat;
  /** Why: "source_timestamp from endTime", or what to do when none was found. */
  note: string;
}

type Row = Record<string, unknown>;

/** Digits as text (`1111111111`): a bank's payment symbol, an account or reference number. */
const DIGITS = /^\s*[+-]?\d+(?:[.,]\d+)?\s*$/;

/** How many of a field's non-empty sampled values read as dates, and the first that does not. */
interface DateCount {
  filled: number;
  dated: number;
  other?: unknown;
}

/**
 * `stringsOnly`, for a field chosen by its values alone: text that is only digits is no date
 * there (read as UNIX seconds, a reference number gave a bogus timestamp), and a field
 * holding anything but strings is none.
 */
function countDates(rows: Row[], field: string, format?: DateFormat, stringsOnly = false): DateCount {
  const count: DateCount = { filled: 0, dated: 0 };
  for (const r of rows) {
    const v = fieldOf(r, field);
    if (v === undefined || v === null || v === '') continue;
    if (stringsOnly && typeof v !== 'string') return { filled: count.filled + 1, dated: 0 };
    count.filled++;
    const digits = stringsOnly && DIGITS.test(v as string) && !format?.regex.test((v as string).trim());
    if (!digits && readInstant(v, format)) count.dated++;
    else if (count.other === undefined) count.other = v;
  }
  return count;
}

/** A field holds dates when most of its non-empty sampled values read as dates (80%, at least one). */
const holds = (c: DateCount) => c.dated > 0 && c.dated >= 0.8 * c.filled;

function holdsDates(rows: Row[], field: string, format?: DateFormat, stringsOnly = false): boolean {
  return holds(countDates(rows, field, format, stringsOnly));
}

/** The rows' fields (a wrapper row's one level down: `tweet.created_at`), each with the name it is judged by. */
function fieldsOf(rows: Row[]): Map<string, string> {
  const seen = new Map<string, string>();
  for (const r of rows) for (const [name, judged] of fieldNamesOf(r)) if (!seen.has(name)) seen.set(name, judged);
  return seen;
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
  if (o.field) return givenField(sample, o.field, o.format);
  const judged = fieldsOf(sample);
  const fields = [...judged.keys()];
  const candidates: string[] = [];
  for (const name of TIMESTAMP_FIELDS) candidates.push(...fields.filter((f) => judged.get(f)!.toLowerCase() === name));
  for (const shape of NAME_SHAPES) candidates.push(...fields.filter((f) => shape.test(judged.get(f)!)));
  let ambiguous: string | undefined;
  let nearMiss: string | undefined;
  const chosen = (f: string, stringsOnly = false): TimestampChoice | undefined => {
    const count = countDates(sample, f, o.format, stringsOnly);
    if (holds(count)) return { field: f, note: `source_timestamp from ${f}` };
    if (!stringsOnly && count.dated > 0) {
      nearMiss ??= `${f} holds dates in ${count.dated} of its ${count.filled} values in the first rows, not in 80% (${JSON.stringify(count.other)} is no date): pass --timestamp-field ${JSON.stringify(f)} to read them (the others are stored with a warning)`;
    }
    if (o.format) return undefined;
    const order = dateOrderOf(sample, f);
    if (order && 'format' in order && holdsDates(sample, f, order.format, stringsOnly)) {
      return { field: f, format: order.format, note: readAsNote(f, order.format, order.proof) };
    }
    if (order && 'ambiguous' in order) ambiguous ??= `${f} (${JSON.stringify(order.ambiguous)})`;
    return undefined;
  };
  for (const f of candidates) {
    const c = chosen(f);
    if (c) return c;
  }
  for (const f of fields) {
    const c = chosen(f, true);
    if (c) return c;
  }
  if (nearMiss) return { note: `no source_timestamp: ${nearMiss}` };
  if (ambiguous) {
    return {
      note:
        `no source_timestamp: ${ambiguous} holds dates that may be day or month first, and no value in the first rows tells which; ` +
        'pass --date-format DD/MM/YYYY or MM/DD/YYYY (with - for dashes)',
    };
  }
  return {
    note:
      'no source_timestamp: no field holds dates in the first rows; ' +
      'pass --timestamp-field FIELD (and --date-format, e.g. DD/MM/YYYY, for dates written otherwise than YYYY-MM-DD or DD.MM.YYYY)',
  };
}

/** --timestamp-field: without --date-format, read in the order its values tell, when they do. */
function givenField(sample: Row[], field: string, format: DateFormat | undefined): TimestampChoice {
  const order = format ? undefined : dateOrderOf(sample, field);
  if (order && 'format' in order) return { field, format: order.format, note: readAsNote(field, order.format, order.proof) };
  return { field, note: `source_timestamp from ${field}` };
}

const readAsNote = (field: string, format: DateFormat, proof: string) =>
  `source_timestamp from ${field}, read as ${format.pattern} (${JSON.stringify(proof)} can only be ${format.pattern.startsWith('DD') ? 'day' : 'month'} first; --date-format reads it otherwise)`;

function checkFormatMatches(path: string, rows: Row[], format: DateFormat, field?: string): void {
  // The example comes from a field named like a date when there is one (`date: "2024-01-02"`, not `id: "1"`).
  const dateNamed = (f: string) => TIMESTAMP_FIELDS.includes(f.toLowerCase()) || NAME_SHAPES.some((shape) => shape.test(f));
  const judged = fieldsOf(rows);
  const fields = field ? [field] : [...judged.keys()].sort((a, b) => Number(dateNamed(judged.get(b)!)) - Number(dateNamed(judged.get(a)!)));
  let example: string | undefined;
  for (const f of fields) {
    for (const r of rows) {
      const v = fieldOf(r, f);
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
