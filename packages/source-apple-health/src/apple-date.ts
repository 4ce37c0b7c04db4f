const APPLE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Apple's `2019-08-11 10:09:57 -0700` (local time and its offset) as the instant it
 * names. Undefined when absent; throws naming the text when it is not in that format,
 * so core stores the record with a warning instead of a wrong date.
 */
export function parseAppleDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const fast = parseAppleDateFast(text);
  if (fast !== undefined) return new Date(fast);
  const m = APPLE_DATE.exec(text);
  if (!m) {
    // Some exports write ISO 8601 instead; accept what Date.parse reads exactly.
    const t = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
    if (Number.isNaN(t)) throw new Error(`"${text}" is not a date like 2019-08-11 10:09:57 -0700`);
    return new Date(t);
  }
  const offsetMinutes = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const local = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return new Date(local - offsetMinutes * 60_000);
}

/** Digits at fixed places, read without a regex (millions of dates per export); undefined if any is not a digit. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

function parseAppleDateFast(t: string): number | undefined {
  if (t.length !== 25 || t[4] !== '-' || t[7] !== '-' || t[10] !== ' ' || t[13] !== ':' || t[16] !== ':' || t[19] !== ' ') return undefined;
  const sign = t[20] === '-' ? -1 : t[20] === '+' ? 1 : 0;
  const ms = Date.UTC(digits(t, 0, 4), digits(t, 5, 2) - 1, digits(t, 8, 2), digits(t, 11, 2), digits(t, 14, 2), digits(t, 17, 2));
  const offset = sign * (digits(t, 21, 2) * 60 + digits(t, 23, 2));
  const value = ms - offset * 60_000;
  return Number.isNaN(value) ? undefined : value;
}

/** A calendar day (`2016-11-15`, ActivitySummary's dateComponents) as midnight UTC of that day. */
export function parseCalendarDay(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const m = ISO_DATE.exec(text);
  if (!m) throw new Error(`"${text}" is not a calendar day like 2016-11-15`);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}
