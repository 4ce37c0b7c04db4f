import { JsonNumber } from '@bronze/core';

/**
 * The cells and rows every workbook reader (.xlsx, .ods) hands to the shared sheet logic
 * (header, records, timestamp choice), so a table gives the same records whichever format
 * it was saved in.
 */

/** A cell's value as the workbook holds it; undefined: the cell has none (styled, or a formula never calculated). */
export type CellValue = string | number | JsonNumber | boolean | undefined;

export interface Cell {
  /** 0-based column (A = 0). */
  col: number;
  value: CellValue;
  /** The formula as written (`SUM(B2:B4)`, `of:=SUM([.B2:.B4])`), or the shared formula whose text another cell holds. */
  formula?: string | { shared: string };
  /** A number shown as a date or time by its style (.xlsx): an Excel date serial. */
  dateStyled: boolean;
  /**
   * A date, time or duration the file types as such and writes as text (.ods
   * `office:date-value="2025-01-01"`, `office:time-value="PT10H"`): a value, never a
   * column name, and read as written when chosen as the timestamp.
   */
  temporal?: boolean;
}

export interface SheetRow {
  /** The row number the spreadsheet program shows (1-based). */
  row: number;
  cells: Cell[];
}

/** Excel's and LibreOffice's last column is XFD (16384); a cell past it is damage, and would cost memory. */
export const MAX_COLUMNS = 16384;
/** Excel holds at most 32,767 characters in a cell; far beyond that is not a cell. */
export const MAX_CELL_CHARS = 8 * 1024 * 1024;

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** A number as the file writes it: exact (JsonNumber when a double would write it otherwise), or the text when it is no JSON number. */
export function numberValue(literal: string): number | JsonNumber | string {
  if (!JSON_NUMBER.test(literal)) return literal;
  const n = Number(literal);
  return String(n) === literal ? n : new JsonNumber(literal);
}
