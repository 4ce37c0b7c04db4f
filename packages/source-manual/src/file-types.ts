/** What `bronze sources` and errors say the manual source takes. */
export const ACCEPTED_FILES = '.csv, .json, .jsonl, .ndjson (optionally gzipped), a Twitter/X archive\'s data/*.js, .xlsx and .xlsm workbooks, .ods (and flat .fods) spreadsheets';

/**
 * Spreadsheets bronze does not read, and what to save them as. `.xls` is Excel's binary
 * format before 2007 (BIFF), `.xlsb` its binary one since: every spreadsheet program saves
 * either as .xlsx, which keeps every sheet, or as .csv, one sheet at a time.
 */
const SAVE_AS: Record<string, string> = {
  '.xls': 'an Excel 97–2003 workbook (.xls)',
  '.xlsb': 'an Excel binary workbook (.xlsb)',
  '.numbers': 'an Apple Numbers spreadsheet',
};

/** The error for a file manual does not read: a spreadsheet format it names, or any other file. */
export function unknownTypeMessage(path: string): string {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  const ext = Object.keys(SAVE_AS).find((e) => p.endsWith(e));
  if (ext) return `is ${SAVE_AS[ext]}, which manual does not read: open it and save it as .xlsx (Excel Workbook) or .csv, then import that file`;
  return `unknown file type: manual imports ${ACCEPTED_FILES}`;
}
