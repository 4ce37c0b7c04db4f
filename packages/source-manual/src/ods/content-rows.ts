import { FileImportError } from '@bronze/core';
import { MAX_CELL_CHARS, MAX_COLUMNS, type Cell, type SheetRow } from '../sheets/cells.js';
import { filled } from '../sheets/sheet-header.js';
import type { XmlEvent } from '../sheets/xml-events.js';
import { CellText } from './cell-text.js';
import { odsCellValue, type CellAttrs } from './cell-value.js';
import { SheetList } from './sheet-list.js';

/** What content.xml gives, in document order: a sheet begins, one of its rows, the sheet ends. */
export type OdsItem = { kind: 'sheet'; name: string; hidden: boolean } | { kind: 'row'; row: SheetRow } | { kind: 'end' };

/** LibreOffice's largest sheet has 16,777,216 rows ("jumbo sheets"); a filled row past it is no row of a sheet. */
export const MAX_ROWS = 16_777_216;

/** `table:number-rows-repeated` / `table:number-columns-repeated`: a whole number ≥ 1, else damage. */
function repeats(value: string | undefined, what: string, fail: (text: string) => FileImportError): number {
  if (value === undefined) return 1;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw fail(`${what} ${JSON.stringify(value)} is not a count`);
  return n;
}

const CELLS = new Set(['table:table-cell', 'table:covered-table-cell']);

/**
 * The sheets and rows of content.xml, streamed. Repeats are how the format is compact:
 * `table:number-rows-repeated` and `table:number-columns-repeated` say a row or cell stands
 * for that many equal ones. LibreOffice pads every sheet with empty ones up to its last row
 * (1,048,576) and column (16,384): empty repeats only move the row or column count on, never
 * expanded into memory or records. A filled repeated cell is that many cells (at most a
 * row's 16,384), a filled repeated row that many rows, given one at a time. A covered cell
 * (hidden under a merged area) is a cell like any other: empty as a rule, its value kept
 * when the file has one. Rows and cells of a table nested in a cell are not the sheet's.
 */
export async function* contentRows(events: AsyncIterable<XmlEvent[]>, path: string, part: string, sheets = new SheetList()): AsyncIterable<OdsItem> {
  let sheet: string | undefined;
  /** Depth of the current element inside the sheet (its children at 1). */
  let depth = 0;
  /** Depth of a table nested in the sheet, whose rows are not the sheet's; 0 when none. */
  let nestedAt = 0;
  let rowNo = 0;
  let row: { depth: number; repeat: number; cells: Cell[]; col: number } | undefined;
  let cell: { depth: number; attrs: CellAttrs; repeat: number } | undefined;
  const text = new CellText();
  const fail = (what: string) => new FileImportError(path, `${part}, sheet ${JSON.stringify(sheet)}, row ${rowNo + 1}: ${what}; the spreadsheet is damaged`);
  for await (const batch of events) {
    for (const e of batch) {
      if (sheet === undefined) {
        const begun = sheets.on(e);
        if (begun) {
          sheet = begun.name;
          depth = nestedAt = rowNo = 0;
          yield { kind: 'sheet', ...begun };
        }
        continue;
      }
      if (e.type === 'open') depth++;
      else if (e.type === 'close' && --depth < 0) {
        sheets.on(e); // the sheet's own </table:table>
        sheet = undefined;
        yield { kind: 'end' };
        continue;
      }
      if (nestedAt) {
        if (e.type === 'close' && depth < nestedAt) nestedAt = 0;
      } else if (cell) {
        if (e.type === 'close' && depth === cell.depth - 1 && CELLS.has(e.name)) {
          const r = row!;
          const formula = cell.attrs['table:formula'];
          const c: Cell = { col: r.col, ...odsCellValue(cell.attrs, text.take()), dateStyled: false, ...(formula !== undefined ? { formula } : {}) };
          if (filled(c)) {
            if (r.col + cell.repeat > MAX_COLUMNS) throw fail(`a filled cell repeated to column ${r.col + cell.repeat}, past the last column of a sheet (${MAX_COLUMNS})`);
            for (let k = 0; k < cell.repeat; k++) r.cells.push(k === 0 ? c : { ...c, col: r.col + k });
          }
          r.col += cell.repeat; // an empty repeat only moves the column on
          cell = undefined;
        } else {
          text.on(e);
          if (text.chars > MAX_CELL_CHARS) throw fail(`a cell of more than ${MAX_CELL_CHARS} characters, not a cell value`);
        }
      } else if (e.type === 'open') {
        if (e.name === 'table:table') nestedAt = depth;
        else if (e.name === 'table:table-row' && !row) row = { depth, repeat: repeats(e.attrs['table:number-rows-repeated'], 'table:number-rows-repeated', fail), cells: [], col: 0 };
        else if (row && CELLS.has(e.name)) cell = { depth, attrs: e.attrs, repeat: repeats(e.attrs['table:number-columns-repeated'], 'table:number-columns-repeated', fail) };
      } else if (e.type === 'close' && row && depth === row.depth - 1 && e.name === 'table:table-row') {
        const { repeat, cells } = row;
        row = undefined;
        if (cells.length) {
          if (rowNo + repeat > MAX_ROWS) throw fail(`a filled row repeated to row ${rowNo + repeat}, past the last row of a sheet (${MAX_ROWS})`);
          for (let k = 1; k <= repeat; k++) yield { kind: 'row', row: { row: rowNo + k, cells } };
        }
        rowNo += repeat; // an empty repeat only moves the row on
      }
    }
  }
  if (!sheets.spreadsheet) throw new FileImportError(path, `${part} holds no office:spreadsheet: the file is an OpenDocument text or drawing, not a spreadsheet; save it from LibreOffice Calc as .ods, or as .csv`);
}
