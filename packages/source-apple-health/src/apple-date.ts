const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

/** First and last instant a timestamp column holds without surprise: years 0001–9999 UTC. */
const FIRST_INSTANT = new Date(0).setUTCFullYear(1, 0, 1);
const LAST_INSTANT = new Date(0).setUTCFullYear(9999, 11, 31) + 86_400_000 - 1;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/**
 * The instant of a local date and time at an offset (minutes east of UTC), or a message
 * saying why there is none. Date.UTC would read years 0–99 as 1900–1999 and roll
 * 2024-02-30 over to March: the year is set apart and every field is checked.
 */
function instant(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMin: number): number | string {
  if (![y, mo, d, h, mi, s, ms, offsetMin].every(Number.isFinite)) return 'is not a date';
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && !isLeap(y) ? 28 : DAYS_IN_MONTH[mo - 1]) || h > 23 || mi > 59 || s > 59) {
    return 'names no such day or time of day';
  }
  if (Math.abs(offsetMin) > 18 * 60) return 'has a UTC offset beyond ±18 hours';
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, s, ms);
  const value = t.getTime() - offsetMin * 60_000;
  if (value < FIRST_INSTANT || value > LAST_INSTANT) return 'is outside the years 0001–9999 a timestamp is stored for (e.g. a "no end" sentinel)';
  return value;
}

function check(text: string, result: number | string): Date {
  if (typeof result === 'string') throw new Error(`"${text}" ${result}; stored without a timestamp`);
  return new Date(result);
}

/**
 * Apple's `2019-08-11 10:09:57 -0700` (local time and its offset), or iOS 8's
 * `20150604061200+0100`, as the instant it names. Undefined when absent; throws naming the text when it is not in that format or
 * names no storable instant (2024-02-30, year 0000, 9999-12-31 23:59:59 -0800), so core
 * stores the record with a warning and no timestamp instead of a wrong date.
 */
export function parseAppleDate(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  if (text.length === 25 && text[4] === '-' && text[7] === '-' && text[10] === ' ' && text[13] === ':' && text[16] === ':' && text[19] === ' ') {
    const sign = text[20] === '-' ? -1 : text[20] === '+' ? 1 : Number.NaN;
    const offset = sign * (digits(text, 21, 2) * 60 + digits(text, 23, 2));
    return check(text, instant(digits(text, 0, 4), digits(text, 5, 2), digits(text, 8, 2), digits(text, 11, 2), digits(text, 14, 2), digits(text, 17, 2), 0, offset));
  }
  // iOS 8 exports (2014–2015): 20150604061200+0100.
  if (text.length === 19 && (text[14] === '+' || text[14] === '-')) {
    const offset = (text[14] === '-' ? -1 : 1) * (digits(text, 15, 2) * 60 + digits(text, 17, 2));
    return check(text, instant(digits(text, 0, 4), digits(text, 4, 2), digits(text, 6, 2), digits(text, 8, 2), digits(text, 10, 2), digits(text, 12, 2), 0, offset));
  }
  // Some exports (and FHIR resources) write ISO 8601 instead.
  const m = ISO_DATE_TIME.exec(text);
  if (!m) throw new Error(`"${text}" is not a date like 2019-08-11 10:09:57 -0700`);
  const zone = m[8];
  const offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  return check(text, instant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms, offset));
}

/** Digits at fixed places, read without a regex (millions of dates per export); NaN if any is not a digit. */
function digits(text: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return v;
}

/** A calendar day (`2016-11-15`, ActivitySummary's dateComponents) as midnight UTC of that day. */
export function parseCalendarDay(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new Error(`"${text}" is not a calendar day like 2016-11-15`);
  return check(text, instant(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)), 0, 0, 0, 0, 0));
}

/** HL7's `20190719103611-0700` (export_cda.xml's effectiveTime), to the precision given. */
export function parseHl7Time(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(?:(\d{2}))?)?([+-]\d{4})?$/.exec(text);
  if (!m) throw new Error(`"${text}" is not an HL7 time like 20190719103611-0700`);
  const zone = m[7] ?? '+0000';
  const offset = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3)));
  return check(text, instant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), 0, offset));
}
