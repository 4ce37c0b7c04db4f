import { canonicalJson, columnName, emit, sha256Hex, type Emitted } from '@bronze/core';
import type { ManualConfig } from '../config.js';
import { missingRequired } from '../streams/file-rows.js';
import { filled, headerLooksLikeValues, sheetHeader, sheetHeaderlessNote, sheetRecordNotHeader, type SheetHeader } from './sheet-header.js';
import type { Cell, CellValue, SheetRow } from './cells.js';

export interface SheetReading {
  name: string;
  stream: string;
  config: ManualConfig;
  /** Told once per sheet: a repeated name, cells beyond the header. */
  note(text: string): void;
  date1904: boolean;
  /** Set once the header row is read: a sheet of a header alone is told so. */
  headerRow?: number;
}

/** A record to store, with the row it is and which of its keys hold date-styled numbers (for choosing the timestamp field). */
export interface SheetRecord {
  emitted: Emitted;
  row: Record<string, unknown>;
  dateKeys: string[];
}

/** `column_7`, or `column_7#2` when the header already names a column so. */
function extraKey(col: number, keys: string[]): string {
  let k = columnName(col);
  for (let n = 2; keys.includes(k); n++) k = `${columnName(col)}#${n}`;
  return k;
}

/**
 * The records of one sheet: one per row holding anything, keyed by the header row (its first
 * such row) like a CSV row: every header column present, an empty cell as "" (what the CSV
 * reader gives an empty field), a filled cell right of the header as `column_<n>`. With
 * --no-header every row is a record keyed `column_1`… up to its last filled cell. Values as
 * the workbook holds them: text, the exact number written, true/false, an error's text
 * (`#N/A`); a formula cell's cached value, its formula in metadata.formulas. A first row of
 * two or more values (dates, amounts) is no header unless --header says so: the sheet is
 * read without one, as a CSV file whose first line is a record.
 */
export async function* sheetRecords(rows: AsyncIterable<SheetRow>, s: SheetReading): AsyncIterable<SheetRecord> {
  const idField = s.config.idField ?? 'id';
  let header: SheetHeader | undefined;
  let headerless = false;
  let warning: string | undefined;
  const beyond: number[] = [];
  for await (const r of rows) {
    const cells = r.cells.filter(filled);
    if (!cells.length) continue;
    if (!header && !headerless && !s.config.noHeader) {
      const first = sheetHeader(r, s.date1904);
      if (s.config.noHeader === undefined && sheetRecordNotHeader(first)) {
        // A first row of values: read as --no-header reads it (this row a record too).
        headerless = true;
        s.note(sheetHeaderlessNote(first));
      } else {
        header = first;
        s.headerRow = r.row;
        if (header.repeated.length) s.note(`row ${r.row} names ${header.repeated.map((n) => JSON.stringify(n)).join(', ')} more than once; the later columns are keyed "<name>#2", "#3"…`);
        if (header.dataLike.length) warning = headerLooksLikeValues(header, s.name);
        continue;
      }
    }
    const keys = header?.keys ?? [];
    const width = header ? keys.length : Math.max(...cells.map((c) => c.col + 1));
    const record: Record<string, CellValue> = {};
    // fromEntries-like assignment through defineProperty: a column named __proto__ stays a key.
    const put = (k: string, v: CellValue) => Object.defineProperty(record, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (let i = 0; i < width; i++) put(header ? keys[i] : columnName(i), '');
    const formulas: Record<string, Cell['formula']> = {};
    const dateKeys: string[] = [];
    let extra = false;
    for (const c of r.cells) {
      if (c.col >= width && !filled(c)) continue;
      const key = c.col < width ? (header ? keys[c.col] : columnName(c.col)) : extraKey(c.col, keys);
      if (c.col >= width) extra = true;
      put(key, c.value ?? '');
      if (c.formula !== undefined) formulas[key] = c.formula;
      if (c.dateStyled) dateKeys.push(key);
    }
    if (extra) beyond.push(r.row);
    const metadata: Record<string, unknown> = { sheet: s.name, row: r.row };
    if (Object.keys(formulas).length) metadata.formulas = formulas;
    const v = record[idField];
    const countedId = v !== undefined && v !== '' ? undefined : `row:${sha256Hex(canonicalJson(record).text)}`;
    const invalid = missingRequired(record, s.config);
    yield { emitted: emit(record, { stream: s.stream, countedId, metadata, invalid, warning }), row: record, dateKeys };
  }
  if (beyond.length && header) {
    const rowsText = beyond.length === 1 ? `row ${beyond[0]}` : `${beyond.length} rows (rows ${beyond[0]}…${beyond[beyond.length - 1]})`;
    s.note(`${rowsText} have cells right of the header's ${header.keys.length} columns; kept as "column_<n>" (n: the column's position)`);
  }
}
