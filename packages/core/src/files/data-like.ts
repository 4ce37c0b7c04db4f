/**
 * Values that are never column names in the exports we know: dates, times, numbers with a
 * sign or a decimal part. A bare year is a name (`Category,2023,2024`), so it does not count.
 * A header made of such values is really a first record (a bank export without a header row).
 */
const DATA_LIKE = [
  /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?/, // 03.11.2025, 2023-06-27, 12/08/2025 10:00
  /^\d{1,2}[ -](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ -]\d{2,4}$/i, // 27 Feb 2018, 12-Dec-2019
  /^\d{1,2}:\d{2}(:\d{2})?$/, // 06:40
  /^\d{4}:\d{1,2}:\d{1,2}(?:$|[ T]\d)/, // 2012:03:01 (Danske Bank's dates, EXIF's 2012:03:01 10:00:00)
  /^[-+]\s?\d[\d.,' ]*$/, // -5,00  +1.000
  /^\d[\d.,' ]*[.,]\d+$/, // 12,50  1.234,56
];

/** The names that look like values, not names (at most three, for a message). */
export function dataLikeNames(names: readonly string[]): string[] {
  return names.filter((h) => DATA_LIKE.some((re) => re.test(h.trim()))).slice(0, 3);
}
