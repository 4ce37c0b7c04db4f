import { ConfigError } from '@bronze/core';

/** A value read as an instant: `at`, or `problem` when it looks like a date but is not one. */
export type InstantReading = { at: Date; problem?: undefined } | { at?: undefined; problem: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Day-first with dots, as German exports write it: 12.08.2025, 12.08.25, 12.08.2025 14:30. */
const DOTTED = 'DD.MM.YYYY';
const DOTTED_SHORT = 'DD.MM.YY';
/**
 * Year first with slashes or dots (2018/05/21, Czech and Japanese exports; 2018.05.21; Hungarian
 * banks end it with a dot, 2019.04.19.): never day-first.
 */
const YEAR_FIRST = ['YYYY/MM/DD', 'YYYY.MM.DD', 'YYYY.MM.DD.'];
/** Eight digits of a date in this or the last century, year first (20180226): some banks' exports. */
const COMPACT = /^((?:19|20)\d\d)(\d\d)(\d\d)$/;

/**
 * An instant from its parts, or undefined when a part is out of range (2024-02-30,
 * 25:00). Built with setUTCFullYear: Date.UTC would turn years 0–99 into 1900–1999.
 */
function instantOf(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0, offsetMinutes = 0): Date | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const at = new Date(0);
  at.setUTCFullYear(y, mo - 1, d);
  at.setUTCHours(h, mi, s, ms);
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return undefined;
  return new Date(at.getTime() - offsetMinutes * 60_000);
}

function offsetOf(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

const msOf = (fraction: string | undefined) => (fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0);

/** A `--date-format` pattern: YYYY or YY, MM, DD, optionally HH, mm, ss; anything else literal. */
export interface DateFormat {
  pattern: string;
  regex: RegExp;
  order: string[];
}

export function compileDateFormat(pattern: string): DateFormat {
  const order: string[] = [];
  const source = pattern.replace(/YYYY|YY|MM|DD|HH|mm|ss|[.*+?^${}()|[\]\\/-]|./g, (t) => {
    if (['YYYY', 'YY', 'MM', 'DD', 'HH', 'mm', 'ss'].includes(t)) {
      order.push(t);
      return t === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
    }
    return t.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  });
  const has = (t: string) => order.includes(t);
  if (!(has('YYYY') || has('YY')) || !has('MM') || !has('DD') || new Set(order).size !== order.length) {
    throw new ConfigError(`--date-format ${JSON.stringify(pattern)} needs YYYY (or YY), MM and DD once each, e.g. DD.MM.YYYY, DD/MM/YYYY, MM/DD/YYYY, YYYY-MM-DD HH:mm`);
  }
  // A time after the date is read too (12.08.2025 14:30), unless the pattern places one.
  const time = has('HH') ? '' : '(?:[ T](\\d{2}):(\\d{2})(?::(\\d{2}))?)?';
  return { pattern, regex: new RegExp(`^${source}${time}$`), order };
}

const DOTTED_FORMATS = [DOTTED, DOTTED_SHORT, ...YEAR_FIRST].map(compileDateFormat);

/**
 * Day, month name, year: `12-Dec-2019`, `27 Feb 2018`, `10 Feb 18` (UK card and bank
 * statements), never ambiguous. English names and abbreviations, and the German and Dutch
 * abbreviations that differ (`Mär`, `Mai`, `Okt`, `Dez`, `mrt`, `mei`).
 */
const NAMED_MONTH = /^(\d{1,2})[ -]([A-Za-zä]{3,9})\.?[ -](\d{4}|\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6, jul: 7, july: 7,
  aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11, dec: 12, december: 12,
  mär: 3, mai: 5, okt: 10, dez: 12, mrt: 3, mei: 5,
};

function readNamedMonth(v: string): InstantReading | undefined {
  const m = NAMED_MONTH.exec(v);
  const month = m && MONTHS[m[2].toLowerCase()];
  if (!m || !month) return undefined;
  const year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const at = instantOf(year, month, Number(m[1]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return at ? { at } : { problem: `${JSON.stringify(v)} is not a valid date` };
}

/**
 * Twitter/X's `created_at` (`Mon May 13 08:15:02 +0000 2024`, every tweet of an archive) and
 * RFC 2822's (`Mon, 13 May 2024 08:15:02 +0000`: e-mail, RSS): exact, their zone given.
 */
const TWITTER = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Za-z]{3}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ([+-]\d{4}) (\d{4})$/;
const RFC_2822 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? ([+-]\d{4}|GMT|UTC?)$/;

function readZoned(v: string): InstantReading | undefined {
  const t = TWITTER.exec(v);
  const r = t ? undefined : RFC_2822.exec(v);
  if (!t && !r) return undefined;
  const [month, day, year, h, mi, s, zone] = t ? [t[1], t[2], t[7], t[3], t[4], t[5], t[6]] : [r![2], r![1], r![3], r![4], r![5], r![6], r![7]];
  const mo = MONTHS[month.toLowerCase()];
  const offset = /^[+-]/.test(zone) ? offsetOf(zone) : 0;
  const at = mo ? instantOf(Number(year), mo, Number(day), Number(h), Number(mi), Number(s ?? 0), 0, offset) : undefined;
  return at ? { at } : { problem: `${JSON.stringify(v)} is not a valid date` };
}

function readFormatted(v: string, f: DateFormat): InstantReading | undefined {
  const m = f.regex.exec(v);
  if (!m) return undefined;
  const part: Record<string, number> = {};
  f.order.forEach((t, i) => (part[t] = Number(m[i + 1])));
  const extra = m.slice(f.order.length + 1);
  if (extra[0] !== undefined) Object.assign(part, { HH: Number(extra[0]), mm: Number(extra[1]), ss: Number(extra[2] ?? 0) });
  // Two-digit years are this century's (bank exports write 08.12.25 for 2025).
  const year = part.YYYY ?? 2000 + part.YY;
  const at = instantOf(year, part.MM, part.DD, part.HH ?? 0, part.mm ?? 0, part.ss ?? 0);
  return at ? { at } : { problem: `${JSON.stringify(v)} is not a valid date (${f.pattern})` };
}

/**
 * A row's instant. ISO 8601 with a zone is exact; a date, or a date-time without a zone,
 * is taken as UTC (hand-kept files rarely say their zone); `DD.MM.YYYY` (and `DD.MM.YY`)
 * day-first; `YYYY/MM/DD`, `YYYY.MM.DD` (and `YYYY.MM.DD.`), `YYYYMMDD` (a text of 8 digits, 1900–2099); a day, a month's name and a year (`12-Dec-2019`, `27 Feb 2018`);
 * Twitter/X's and RFC 2822's forms with their zone (`Mon May 13 08:15:02 +0000 2024`, `Mon, 13 May 2024 08:15:02 +0000`);
 * `format` (from --date-format, or the order a column's values prove) first when given; numbers are UNIX seconds
 * (1e8–1e11) or milliseconds (1e11–1e14). A date that does not exist (2024-02-30) is a
 * problem, never rolled over. Undefined: the value does not look like a date at all.
 */
export function readInstant(value: unknown, format?: DateFormat): InstantReading | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 1e8 || value >= 1e14) return undefined;
    return { at: new Date(value >= 1e11 ? value : value * 1000) };
  }
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (format) {
    const r = readFormatted(v, format);
    if (r) return r;
  }
  if (/^\d{9,14}(\.\d+)?$/.test(v)) return readInstant(Number(v));
  const compact = COMPACT.exec(v);
  if (compact) {
    // Not a problem when it is no date: eight digits may be any number.
    const at = instantOf(Number(compact[1]), Number(compact[2]), Number(compact[3]));
    return at ? { at } : undefined;
  }
  const m = ISO.exec(v);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const at = instantOf(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), msOf(frac), offsetOf(zone));
    return at ? { at } : { problem: `${JSON.stringify(value)} is not a valid date` };
  }
  for (const f of DOTTED_FORMATS) {
    const r = readFormatted(v, f);
    if (r) return r;
  }
  return readZoned(v) ?? readNamedMonth(v);
}

/** Compatibility: the instant of a value, or undefined. */
export function parseInstant(value: unknown, format?: DateFormat): Date | undefined {
  return readInstant(value, format)?.at;
}
