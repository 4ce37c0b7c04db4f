/**
 * A header row that is really the first record: a bank export without a header (Targobank's
 * CSV starts with `03.11.2025;Echtzeitüberweisung …;-5,00;…`) would otherwise key every row
 * by the first booking's values, with no sign that anything is wrong. Dates, times and
 * numbers with a sign or a decimal part are never column names in the exports we know; a
 * bare year is (`Category,2023,2024`), so it does not count.
 */
const DATA_LIKE = [
  /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}([ T]\d{1,2}:\d{2}(:\d{2})?)?/, // 03.11.2025, 2023-06-27, 12/08/2025 10:00
  /^\d{1,2}:\d{2}(:\d{2})?$/, // 06:40
  /^[-+]\s?\d[\d.,' ]*$/, // -5,00  +1.000
  /^\d[\d.,' ]*[.,]\d+$/, // 12,50  1.234,56
];

/** The header's names that look like values, not names (at most three, for the message). */
export function dataLikeHeaderNames(header: string[]): string[] {
  return header.filter((h) => DATA_LIKE.some((re) => re.test(h.trim()))).slice(0, 3);
}

/** The warning each row of such a file carries (validation_status 'warning'). */
export function headerLooksLikeData(names: string[], line: number): string {
  const shown = names.map((n) => JSON.stringify(n)).join(', ');
  return `the header row (line ${line}) looks like data (${shown}): if the file has no header row, import it again with --no-header --force (columns column_1, column_2…)`;
}
