import { firstOf } from './activities-layout.js';
import { parseIsoInstant, utcInstant } from './iso-instant.js';

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
/** CLDR's abbreviated French months, as `Intl.DateTimeFormat('fr-FR', { month: 'short' })` writes them. */
const FRENCH_MONTHS: Record<string, number> = { 'janv.': 1, 'févr.': 2, mars: 3, 'avr.': 4, mai: 5, juin: 6, 'juil.': 7, août: 8, 'sept.': 9, 'oct.': 10, 'nov.': 11, 'déc.': 12 };

/**
 * activities.csv's `Activity Date`, which Strava writes in UTC: `Jan 4, 2020, 2:57:37 PM`
 * (English exports since 2019), `2014-09-12 16:54:28` (the older export's `date`), or
 * `09.12.2022, 15:24:49` (German exports' `Aktivitätsdatum`, day first, 24-hour clock), or
 * `4 janv. 2020, 14:57:37` (French exports' `Date de l'activité`). These are the locale's
 * medium date and time (CLDR): en-US and de-DE give exactly the English and German exports'
 * forms, fr-FR this one. Anything else (another language's month name, `Feb 30`,
 * `13:00:00 PM`) gives undefined: the row is stored as written, without a source_timestamp.
 * Year `0000` is year 0, not 1900.
 */
export function parseActivityDate(text: string | undefined): Date | undefined {
  if (!text) return undefined;
  const us = /^([A-Za-z]{3})[a-z]* (\d{1,2}), (\d{4}),? (\d{1,2}):(\d{2}):(\d{2}) ?([AP]M)$/i.exec(text.trim());
  if (us) {
    const month = MONTHS[us[1].toLowerCase()];
    const hour12 = Number(us[4]);
    if (month === undefined || hour12 > 12) return undefined;
    const hour = (hour12 % 12) + (us[7].toUpperCase() === 'PM' ? 12 : 0);
    return utcInstant(Number(us[3]), month, Number(us[2]), hour, Number(us[5]), Number(us[6]));
  }
  const dayFirst = /^(\d{2})\.(\d{2})\.(\d{4}), (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (dayFirst) return utcInstant(Number(dayFirst[3]), Number(dayFirst[2]), Number(dayFirst[1]), Number(dayFirst[4]), Number(dayFirst[5]), Number(dayFirst[6]));
  const french = /^(\d{1,2}) (\S+) (\d{4}), (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim().normalize('NFC'));
  if (french) {
    const month = FRENCH_MONTHS[french[2]];
    return month === undefined ? undefined : utcInstant(Number(french[3]), month, Number(french[1]), Number(french[4]), Number(french[5]), Number(french[6]));
  }
  return /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}Z?$/.test(text.trim()) ? parseIsoInstant(text) : undefined;
}

/** A row's start, from its layout's date column (`Activity Date`, `date`, `Aktivitätsdatum`, `Date de l'activité`). */
export function activityDateOf(row: Record<string, string>): Date | undefined {
  return parseActivityDate(firstOf(row, (l) => l.date));
}
