const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

/**
 * activities.csv's `Activity Date`, which Strava writes in UTC: `Jan 4, 2020, 2:57:37 PM`
 * (English exports since 2019), or `2014-09-12 16:54:28` (the older export's `date`).
 * Anything else (a localised month name) gives undefined: the row is stored as written,
 * without a source_timestamp.
 */
export function parseActivityDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const us = /^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M)$/i.exec(text.trim());
  if (us) {
    const month = MONTHS[us[1].toLowerCase()];
    if (month === undefined) return undefined;
    let hour = Number(us[4]) % 12;
    if (us[7].toUpperCase() === 'PM') hour += 12;
    return new Date(Date.UTC(Number(us[3]), month, Number(us[2]), hour, Number(us[5]), Number(us[6])));
  }
  const iso = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})Z?$/.exec(text.trim());
  if (iso) return new Date(Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4]), Number(iso[5]), Number(iso[6])));
  return undefined;
}
