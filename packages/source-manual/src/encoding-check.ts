/**
 * A file that is not UTF-8 and has no BOM is read as windows-1252 (every byte a character,
 * nothing lost: the bytes can be read again). For Western European text that is right. For
 * another code page it is not: a Russian bank's windows-1251 export reads `Дата операции` as
 * `Äàòà îïåðàöèè`, with no sign of anything wrong. German, French, Spanish… words have one or
 * two accented letters between plain ones (`Umsätze`, `Gebühren`); runs of three or more
 * letters from À–ÿ in a row are the mark of another code page read as Latin-1.
 */
const LATIN1_RUN = /[\u00c0-\u00ff]{3,}/;

/** The first text of the rows (names or values) that reads as another code page, if any. */
export function misreadCodePageText(rows: Record<string, unknown>[]): string | undefined {
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      for (const text of [key, value]) {
        if (typeof text === 'string' && LATIN1_RUN.test(text)) return text;
      }
    }
  }
  return undefined;
}

/** The summary note for such a file: what was read, and the flag that reads it right. */
export function codePageNote(file: string, text: string): string {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return (
    `${file}: read as windows-1252 (it is not UTF-8), which gives text such as ${JSON.stringify(shown)}; ` +
    `if that is another code page, import it again with --encoding (e.g. windows-1251 for Cyrillic, windows-1250 for Central European) --force`
  );
}
