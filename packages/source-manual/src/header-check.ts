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

/** A line of the preamble that reads as column names: the header the detection passed over. */
export interface HeaderAbove {
  /** 1-based line. */
  line: number;
  text: string;
}

/** The fields of a preamble line, split on the delimiter giving the most (quotes stripped). */
function namesOf(text: string): string[] {
  let best: string[] = [text];
  for (const d of [';', ',', '\t', '|']) {
    const parts = text.split(d);
    if (parts.length > best.length) best = parts;
  }
  return best.map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * The last preamble line of 2 or more names, none of them data-like. A header narrower than
 * its rows (Sparda-Bank's rows end in one more, empty, field) is taken for preamble by the
 * detection, which then names the first booking the header; the user's remedy is then
 * --skip-lines, not --no-header.
 */
export function headerAbove(preamble: string[]): HeaderAbove | undefined {
  for (let i = preamble.length - 1; i >= 0; i--) {
    const names = namesOf(preamble[i]);
    if (names.length >= 2 && names.every((n) => n !== '') && dataLikeHeaderNames(names).length === 0) return { line: i + 1, text: preamble[i] };
  }
  return undefined;
}

/** The warning each row of such a file carries (validation_status 'warning'). */
export function headerLooksLikeData(names: string[], line: number, above?: HeaderAbove): string {
  const shown = names.map((n) => JSON.stringify(n)).join(', ');
  const noHeader = 'import it again with --no-header --force (columns column_1, column_2…)';
  if (!above) return `the header row (line ${line}) looks like data (${shown}): if the file has no header row, ${noHeader}`;
  const text = above.text.length > 80 ? `${above.text.slice(0, 80)}…` : above.text;
  return (
    `the header row (line ${line}) looks like data (${shown}): if line ${above.line} (${text}) is the header, ` +
    `import it again with --skip-lines ${above.line - 1} --force; if the file has no header row, ${noHeader}`
  );
}

/**
 * A header naming one column of three or more, the rest blank: a title line the spreadsheet
 * padded with delimiters (Knab's `KNAB EXPORT;;;;;;;;;;;;;;;;` above its 17-column header).
 * Detection takes it for the header, since it is as wide as the table, and the real header
 * becomes the first row: every row keyed `KNAB EXPORT`, `column_2`… with nothing else amiss.
 * When the first row reads as names (2+ non-blank, none data-like), every row says so.
 */
export function titleLineAsHeader(header: { line: number; written: string[] }, first: { line: number; fields: string[] }): string | undefined {
  const named = header.written.filter((n) => n.trim() !== '');
  if (header.written.length < 3 || named.length > 1) return undefined;
  const names = first.fields.filter((n) => n.trim() !== '');
  if (names.length < 2 || dataLikeHeaderNames(first.fields).length) return undefined;
  const title = named.length ? ` (${JSON.stringify(named[0])})` : '';
  const shown = names.slice(0, 3).map((n) => JSON.stringify(n)).join(', ') + (names.length > 3 ? ', …' : '');
  return (
    `the header row (line ${header.line}) names one column of ${header.written.length}${title}, the rest blank: ` +
    `if line ${first.line} (${shown}) is the header, import it again with --skip-lines ${first.line - 1} --force`
  );
}
