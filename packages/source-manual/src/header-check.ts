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
export function headerAbove(preamble: string[]): HeaderAbove | undefined {
  for (let i = preamble.length - 1; i >= 0; i--) {
    const names = namesOf(preamble[i]);
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
