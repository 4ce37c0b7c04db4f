import { basename } from 'node:path';
import { dataLikeNames } from '@bronze/core';

/** A line of the preamble that reads as column names: the header the detection passed over. */
export interface HeaderAbove {
  /** 1-based line. */
  line: number;
  text: string;
}

/** The fields of a preamble line, split on the delimiter giving the most (quotes stripped). */
export function fieldsOfLine(text: string): string[] {
  let best: string[] = [text];
  for (const d of [';', ',', '\t', '|']) {
    const parts = text.split(d);
    if (parts.length > best.length) best = parts;
  }
  return best.map((p) => p.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * The last preamble line of 2 or more names, none of them data-like: when the detection took
 * a first record for the header or read the file without one, the line it passed over, whose
 * --skip-lines the warning or the note names. (Core's detection itself takes a header narrower than its
 * rows only by fields they leave empty, as Sparda-Bank's.)
 */
export function headerAbove(preamble: string[], o: { trailingEmpty?: boolean } = {}): HeaderAbove | undefined {
  for (let i = preamble.length - 1; i >= 0; i--) {
    const names = fieldsOfLine(preamble[i]);
    // For the warning's hint (--header kept a line of values as the names), a header line may
    // end in the delimiter (Danske Bank's `Date,…,Amount,`). Not for the headerless note: with
    // --skip-lines that line of 12 fields would name bookings of 10, each then invalid.
    if (o.trailingEmpty) while (names.length && names[names.length - 1] === '') names.pop();
    if (names.length >= 2 && names.every((n) => n !== '') && dataLikeNames(names).length === 0) return { line: i + 1, text: preamble[i] };
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
 * A first line that is a record, not column names: two or more of its fields read as values
 * (dates, times, amounts: `18.09.2017;…;18.09.2017;-33,87`, a bank export without a header
 * row). Taken as the header, that booking would be no row of its own, only the keys of the
 * others; read without a header, every line is a row (a real header misjudged so stays whole,
 * as a row). So even when a preamble line reads as names (`Date;Payee;Amount` over bookings of
 * five fields, which the detection passed over for not lining up): the note names that line
 * and the --skip-lines that reads it as the header.
 */
export function recordNotHeader(names: string[]): boolean {
  return dataLikeNames(names).length >= 2;
}

/**
 * The preamble a file read without a header row keeps: up to its names line when every line
 * below that one reads as a record. Livebank's export names 10 columns over bookings of 12
 * and 14 fields; its first booking (12) lay above the first line of the table's width (14),
 * so it was preamble text, no row of its own. Else the whole preamble (an account line, a
 * balance line under a title: no names line with only bookings below it).
 */
export function preambleAboveBookings(preamble: string[]): string[] {
  const above = headerAbove(preamble);
  if (!above) return preamble;
  const below = preamble.slice(above.line).filter((l) => l.trim() !== '');
  return below.length && below.every((l) => recordNotHeader(fieldsOfLine(l))) ? preamble.slice(0, above.line) : preamble;
}

/**
 * The summary's word on it, with the ways to read a line as the names: `header` is the line
 * the detection took for the header, `first` the first line read as a row (a booking above the
 * header, below a names line, when preambleAboveBookings gave it back).
 */
export function headerlessNote(path: string, header: { line: number; written: string[] }, preamble: string[] = [], first = header): string {
  const shown = first.written.slice(0, 4).map((n) => JSON.stringify(n)).join(', ') + (first.written.length > 4 ? ', …' : '');
  const above = headerAbove(preamble);
  const names = above ? `; line ${above.line} (${above.text.length > 80 ? `${above.text.slice(0, 80)}…` : above.text}) reads as names, kept in the preamble record: --skip-lines ${above.line - 1} reads it as the header` : '';
  const that = first.line === header.line ? 'that line' : `line ${header.line}`;
  return (
    `${basename(path)}: line ${first.line} (${shown}) reads as a record, not as column names: read without a header row, ` +
    `every line a row keyed column_1, column_2…; --header reads ${that} as the names${names}`
  );
}
