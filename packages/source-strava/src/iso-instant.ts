const ISO = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Days in a month of the proleptic Gregorian calendar (month 1–12). */
export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (leap(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * A UTC instant from calendar fields, or undefined when a field is out of range: 31 February
 * is no date (Date.UTC would roll it into March), and years 0–99 stay those years (Date.UTC
 * maps them to 1900–1999).
 */
export function utcInstant(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  const d = new Date(Date.UTC(2000, 0, 1, hour, minute, second, ms));
  d.setUTCFullYear(year, month - 1, day);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/**
 * An xsd:dateTime as GPX and TCX files write their times (`2024-03-01T10:00:00Z`,
 * `…T10:00:00.250+02:00`, a signed six-digit year), or undefined. Strict where `new Date()`
 * is lenient: `1` or `March 7` is no date (V8 reads them as 2001 in the machine's zone), and a
 * time without an offset is UTC, as the GPX schema says its times are (`new Date()` would read
 * it in the machine's time zone, so the same file would get another timestamp elsewhere).
 * Instants outside PostgreSQL's range are returned as they are: core stores the row with a
 * warning naming the value.
 */
export function parseIsoInstant(text: string | undefined): Date | undefined {
  const m = text === undefined ? null : ISO.exec(text.trim());
  if (!m) return undefined;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const d = utcInstant(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
  if (!d) return undefined;
  const zone = m[8];
  if (!zone || zone === 'Z') return d;
  const [h, min] = zone.slice(1).split(':').map(Number);
  if (h > 14 || min > 59) return undefined;
  const offset = (zone[0] === '-' ? -1 : 1) * (h * 60 + min);
  return new Date(d.getTime() - offset * 60_000);
}
