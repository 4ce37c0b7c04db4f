import { compileDateFormat, type DateFormat } from './timestamp.js';
import { fieldOf } from './field-path.js';

/**
 * Day and month as two numbers before a four-digit year, split by `/` or `-` (`25/08/2025`,
 * `08-25-2025`), optionally followed by a time as --date-format reads one (`25/08/2025 14:30`).
 */
const DAY_MONTH_YEAR = /^(\d{1,2})([/-])(\d{1,2})\2\d{4}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?$/;

/**
 * What a field's values say about their order: `format` when they prove it (with the value
 * that does), `ambiguous` when they are written so but do not, `undefined` when none is.
 */
export type DateOrder = { format: DateFormat; proof: string } | { ambiguous: string } | undefined;

/**
 * Whether a field's `nn/nn/yyyy` dates are day-first or month-first, from the values
 * themselves: a first number above 12 can only be a day (`25/08/2025`: DD/MM/YYYY), a second
 * one only a day too (`08/25/2025`: MM/DD/YYYY). Ambiguous when no value has a number above
 * 12 (a statement of the 1st to the 12th), or when values prove both orders (then they are no
 * one format, and no order is guessed). Bank exports are written one way per file, so one
 * value settles the file: UK and most European banks write day first, US banks month first.
 */
export function dateOrderOf(rows: readonly Record<string, unknown>[], field: string): DateOrder {
  let dayFirst: string | undefined;
  let monthFirst: string | undefined;
  let first: { value: string; separator: string } | undefined;
  for (const r of rows) {
    const v = fieldOf(r, field);
    if (typeof v !== 'string') continue;
    const m = DAY_MONTH_YEAR.exec(v.trim());
    if (!m) continue;
    first ??= { value: v.trim(), separator: m[2] };
    const [a, b] = [Number(m[1]), Number(m[3])];
    if (a > 12 && a <= 31 && b >= 1 && b <= 12) dayFirst ??= v.trim();
    if (b > 12 && b <= 31 && a >= 1 && a <= 12) monthFirst ??= v.trim();
  }
  if (!first) return undefined;
  if (dayFirst !== undefined && monthFirst === undefined) return { format: formatFor('DD', 'MM', dayFirst), proof: dayFirst };
  if (monthFirst !== undefined && dayFirst === undefined) return { format: formatFor('MM', 'DD', monthFirst), proof: monthFirst };
  return { ambiguous: first.value };
}

/** The pattern in the separator of the value that proved the order. */
function formatFor(a: 'DD' | 'MM', b: 'DD' | 'MM', proof: string): DateFormat {
  const separator = DAY_MONTH_YEAR.exec(proof)![2];
  return compileDateFormat(`${a}${separator}${b}${separator}YYYY`);
}
