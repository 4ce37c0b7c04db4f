import { basename } from 'node:path';
import { dataLikeNames } from '@bronze/core';

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
 * The last preamble line of 2 or more names, none of them data-like: when the detection took
 * a first record for the header, the line it passed over, so the user's remedy is
 * --skip-lines, not --no-header. (Core's detection itself takes a header narrower than its
 * rows only by fields they leave empty, as Sparda-Bank's.)
 */
export function headerAbove(preamble: string[], o: { trailingEmpty?: boolean } = {}): HeaderAbove | undefined {
  for (let i = preamble.length - 1; i >= 0; i--) {
    const names = namesOf(preamble[i]);
    // For the warning's hint, a header line may end in the delimiter (Danske Bank's
    // `Date,…,Amount,`). Not for recordNotHeader: there a line found makes the first record the
    // header, where reading without one keeps every line a row.
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
 * row), and no line above it reads as the header instead. Taken as the header, that booking
 * would be no row of its own, only the keys of the others; read without a header, every line
 * is a row (a real header misjudged so stays whole, as a row).
 */
export function recordNotHeader(names: string[], preamble: string[]): boolean {
  return dataLikeNames(names).length >= 2 && !headerAbove(preamble);
}

/** The summary's word on it, with the way to read that line as names. */
export function headerlessNote(path: string, header: { line: number; written: string[] }): string {
  const shown = header.written.slice(0, 4).map((n) => JSON.stringify(n)).join(', ') + (header.written.length > 4 ? ', …' : '');
  return (
    `${basename(path)}: line ${header.line} (${shown}) reads as a record, not as column names: read without a header row, ` +
    'every line a row keyed column_1, column_2…; --header reads that line as the names'
  );
}
