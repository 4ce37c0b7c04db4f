/** Fields tried, in order, when no --timestamp-field is given (case-insensitive). */
export const TIMESTAMP_FIELDS = ['timestamp', 'datetime', 'date', 'time', 'ts'];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

/**
 * A row's instant. ISO 8601 with a zone is exact; a date, or a date-time without a zone,
 * is taken as UTC (hand-kept files rarely say their zone; documented in the README);
 * numbers are UNIX seconds, or milliseconds when above 1e11.
 */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value > 1e11 ? value : value * 1000);
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (!v) return undefined;
  if (/^\d{9,13}(\.\d+)?$/.test(v)) return parseInstant(Number(v));
  let iso = v;
  if (DATE_ONLY.test(v)) iso = `${v}T00:00:00Z`;
  else {
    const m = LOCAL.exec(v);
    if (m) iso = `${m[1]}T${m[2]}Z`;
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return undefined;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function findTimestampField(record: Record<string, unknown>, configured?: string): string | undefined {
  if (configured) return configured;
  const keys = Object.keys(record);
  for (const name of TIMESTAMP_FIELDS) {
    const key = keys.find((k) => k.toLowerCase() === name);
    if (key !== undefined && parseInstant(record[key]) !== undefined) return key;
  }
  return undefined;
}
