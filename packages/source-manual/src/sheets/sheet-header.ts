import { columnName, dataLikeNames, JsonNumber, numberRepeatedColumns } from '@bronze/core';
import { excelSerialInstant } from '../xlsx/excel-dates.js';
import type { Cell, SheetRow } from './cells.js';

/** The columns of a sheet, from its header row: keys by column, as the CSV reader keys a header. */
export interface SheetHeader {
  row: number;
  /** Key of column i (0-based): the name as written, `column_<i+1>` when blank, `name#2` when repeated. */
  keys: string[];
  /** Names written more than once (said in the summary). */
  repeated: string[];
  /** The header's cells as text, column by column ("" when blank). */
  written: string[];
  /**
   * Header cells holding values, not names (at most three): numbers (not a bare year),
   * dates, times, booleans, and text a CSV header would call data (`03.11.2025`, `-5,00`):
   * the sign of a sheet without a header row.
   */
  dataLike: string[];
}

/** True when the cell holds something: a value that is not "", or a formula. */
export const filled = (c: Cell) => (c.value !== undefined && c.value !== '') || c.formula !== undefined;

/** A date cell's ISO text (`2024-05-01`, `2024-05-01T08:30:00Z`), for a name or for choosing the timestamp field. */
export function dateText(serial: number, date1904: boolean): string | undefined {
  const at = excelSerialInstant(serial, date1904)?.at;
  if (!at) return undefined;
  const iso = at.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.replace('.000Z', 'Z');
}

/** The text a header cell names its column with. A date (a month's column: `2024-01-01`) reads as its ISO date, not its serial. */
function nameOf(c: Cell, date1904: boolean): string {
  const v = c.value;
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  const literal = v instanceof JsonNumber ? v.literal : String(v);
  return (c.dateStyled && dateText(Number(literal), date1904)) || literal;
}

/**
 * Bare years (`Category | 2023 | 2024`) name columns; other numbers, dates, times and
 * booleans are values, and so is text that reads as a date or an amount, as in a CSV header.
 */
function looksLikeData(c: Cell): boolean {
  if (typeof c.value === 'boolean' || c.temporal) return true;
  if (typeof c.value === 'string') return dataLikeNames([c.value]).length > 0;
  if (typeof c.value !== 'number' && !(c.value instanceof JsonNumber)) return false;
  const n = Number(c.value);
  return c.dateStyled || !(Number.isInteger(n) && n >= 1900 && n <= 2100);
}

export function sheetHeader(first: SheetRow, date1904: boolean): SheetHeader {
  const width = Math.max(0, ...first.cells.filter(filled).map((c) => c.col + 1));
  const written: string[] = Array.from({ length: width }, () => '');
  const dataLike: string[] = [];
  for (const c of first.cells) {
    if (c.col >= width) continue;
    written[c.col] = nameOf(c, date1904);
    if (looksLikeData(c)) dataLike.push(written[c.col]);
  }
  const repeated = [...new Set(written.filter((n, i) => n.trim() !== '' && written.indexOf(n) !== i))];
  const keys = numberRepeatedColumns(written.map((h, i) => (h.trim() === '' ? columnName(i) : h)));
  return { row: first.row, keys, repeated, dataLike: dataLike.slice(0, 3), written };
}

/**
 * A first row that is a record, not column names: two or more of its cells are values (as
 * header-check.ts's recordNotHeader decides for a CSV file's first line). Taken as the header,
 * that row would be no record of its own; the sheet is read as --no-header reads it. --header
 * (config.noHeader === false) keeps it as the header, every row then `warning`.
 */
export const sheetRecordNotHeader = (h: SheetHeader) => h.dataLike.length >= 2;

/** The summary's word on it, with the way to read that row as names. */
export function sheetHeaderlessNote(h: SheetHeader): string {
  const shown = h.written.filter((n) => n !== '').slice(0, 4).map((n) => JSON.stringify(n)).join(', ');
  return (
    `row ${h.row} (${shown}${h.written.length > 4 ? ', …' : ''}) reads as a record, not as column names: read without a header row, ` +
    'every row a record keyed column_1, column_2…; --header reads that row as the names'
  );
}

/** The warning every row of a sheet whose header row holds values carries. */
export function headerLooksLikeValues(h: SheetHeader, sheet: string): string {
  const shown = h.dataLike.map((n) => JSON.stringify(n)).join(', ');
  return (
    `the header row (row ${h.row} of sheet ${JSON.stringify(sheet)}) holds values, not names (${shown}): ` +
    'if the sheet has no header row, import it again with --no-header --force (columns column_1, column_2…)'
  );
}
