/**
 * An instant from the shapes Garmin uses: epoch milliseconds, ISO text without a zone
 * (Garmin's *GMT fields are UTC: "2023-07-20T06:00:00.0"), or a calendar date (taken as
 * UTC midnight, the partition that day's row belongs to).
 */
export function garminInstant(value: unknown): Date | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return new Date(value);
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return new Date(`${text}T00:00:00Z`);
  const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** A calendar date as Garmin writes it: "2023-07-20", or an object holding it as `date`. */
export function calendarDateOf(value: unknown): string {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (value && typeof value === 'object' && typeof (value as { date?: unknown }).date === 'string') return (value as { date: string }).date;
  throw new Error('calendarDate is missing or not a date');
}
