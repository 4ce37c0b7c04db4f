import { numberValue, type Cell } from '../sheets/cells.js';

/** The attributes of an open `table:table-cell` / `table:covered-table-cell` that decide its value. */
export type CellAttrs = Record<string, string>;

/**
 * An .ods cell's value, from its attributes and its text (ODF 1.2 part 1, §19.385–19.389):
 * - `float`, `percentage`, `currency`: `office:value` as written, exactly (`3.10` stays
 *   3.10; `0.25` of a cell showing 25 %; the currency code is formatting, left out), the text
 *   when it is no JSON number;
 * - `date`: `office:date-value` as written (`2025-01-01`, `2025-01-01T10:30:00`), text;
 *   `time`: `office:time-value` (`PT10H30M00S`, an ISO 8601 duration), text: both temporal;
 * - `boolean`: `office:boolean-value` as true/false;
 * - `string`: `office:string-value` when the file gives one, else the cell's text;
 * - an error a formula gave (LibreOffice's `calcext:value-type="error"`): its text (`#DIV/0!`),
 *   as an .xlsx error cell;
 * - no type (void): the text when there is some (generated files), else no value.
 */
export function odsCellValue(a: CellAttrs, text: string | undefined): Pick<Cell, 'value' | 'temporal'> {
  const type = a['calcext:value-type'] === 'error' ? 'error' : a['office:value-type'];
  switch (type) {
    case 'float':
    case 'percentage':
    case 'currency': {
      const v = a['office:value'];
      return { value: v === undefined ? text : numberValue(v.trim()) };
    }
    case 'date':
      return a['office:date-value'] === undefined ? { value: text } : { value: a['office:date-value'], temporal: true };
    case 'time':
      return a['office:time-value'] === undefined ? { value: text } : { value: a['office:time-value'], temporal: true };
    case 'boolean': {
      const v = a['office:boolean-value'];
      return { value: v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : (v ?? text) };
    }
    case 'string':
      return { value: a['office:string-value'] ?? text ?? '' };
    default:
      return { value: text };
  }
}
