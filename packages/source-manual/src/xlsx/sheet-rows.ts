import { FileImportError, JsonNumber } from '@bronze/core';
import { MAX_CELL_CHARS, MAX_COLUMNS, numberValue, type CellValue, type SheetRow } from '../sheets/cells.js';
import { decodeEscapes, StringItem } from './cell-text.js';
import type { XmlEvent } from '../sheets/xml-events.js';

export type { Cell, CellValue, SheetRow } from '../sheets/cells.js';

export interface SheetContext {
  path: string;
  /** What errors name: `sheet "Budget" (xl/worksheets/sheet1.xml)`. */
  label: string;
  sharedStrings: string[];
  dateStyles: boolean[];
}

const tooLong = (ctx: SheetContext, ref: string | undefined) =>
  new FileImportError(ctx.path, `${ctx.label}, cell ${ref}: more than ${MAX_CELL_CHARS} characters, not a cell value; the workbook is damaged`);

/** `C7` → 2; undefined for a reference with no column letters. */
export function columnOf(ref: string): number | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?\d*$/.exec(ref);
  if (!m) return undefined;
  let n = 0;
  for (const ch of m[1].toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

interface OpenCell {
  ref: string;
  col: number;
  type: string;
  style: number;
  v?: string;
  f?: string;
  sharedFormula?: string;
  inline?: string;
}

function valueOf(c: OpenCell, ctx: SheetContext): CellValue {
  switch (c.type) {
    case 's': {
      if (c.v === undefined) return undefined;
      const i = Number(c.v.trim());
      if (!Number.isInteger(i) || i < 0 || i >= ctx.sharedStrings.length) {
        throw new FileImportError(ctx.path, `${ctx.label}, cell ${c.ref}: shared string ${JSON.stringify(c.v)} does not exist (the workbook's shared strings table holds ${ctx.sharedStrings.length}); the workbook is damaged`);
      }
      return ctx.sharedStrings[i];
    }
    case 'inlineStr':
      return c.inline ?? (c.v === undefined ? undefined : decodeEscapes(c.v));
    case 'b':
      return c.v === '1' ? true : c.v === '0' ? false : c.v;
    case 'str':
      return c.v === undefined ? undefined : decodeEscapes(c.v);
    case 'e':
    case 'd':
      return c.v;
    default:
      return c.v === undefined ? undefined : numberValue(c.v.trim());
  }
}

/**
 * The rows of a worksheet part, streamed: `<row>` by `<row>`, each cell placed by its `r`
 * (`C7`), or after the cell before it when `r` is left out (as some writers do).
 */
export async function* sheetRows(events: AsyncIterable<XmlEvent[]>, ctx: SheetContext): AsyncIterable<SheetRow> {
  let inData = false;
  let row: SheetRow | undefined;
  let lastRow = 0;
  let nextCol = 0;
  let cell: OpenCell | undefined;
  let collecting: 'v' | 'f' | undefined;
  let text = '';
  const inline = new StringItem();
  let inInline = 0;
  for await (const batch of events) {
    const ready: SheetRow[] = [];
    let damage: unknown;
    try {
      for (const e of batch) {
        if (e.type === 'text') {
          if (inInline) {
            inline.on(e);
            if (inline.chars > MAX_CELL_CHARS) throw tooLong(ctx, cell?.ref);
          } else if (collecting) {
            text += e.text;
            if (text.length > MAX_CELL_CHARS) throw tooLong(ctx, cell?.ref);
          }
          continue;
        }
        if (!inData) {
          if (e.type === 'open' && e.name === 'sheetData') inData = true;
          continue;
        }
        if (e.type === 'open') {
          if (inInline) inline.on(e);
          else if (e.name === 'row') {
            lastRow = e.attrs.r !== undefined ? Number(e.attrs.r) : lastRow + 1;
            if (!Number.isInteger(lastRow) || lastRow < 1) throw new FileImportError(ctx.path, `${ctx.label}: row number ${JSON.stringify(e.attrs.r)} is not a row; the workbook is damaged`);
            row = { row: lastRow, cells: [] };
            nextCol = 0;
          } else if (e.name === 'c') {
            const ref = e.attrs.r ?? '';
            const col = ref ? columnOf(ref) : nextCol;
            if (col === undefined || col >= MAX_COLUMNS) throw new FileImportError(ctx.path, `${ctx.label}, row ${lastRow}: cell reference ${JSON.stringify(ref)} is not a cell of a sheet (columns A to XFD); the workbook is damaged`);
            cell = { ref: ref || `column ${col + 1} of row ${lastRow}`, col, type: e.attrs.t ?? 'n', style: Number(e.attrs.s ?? 0) };
          } else if (cell && (e.name === 'v' || e.name === 'f')) {
            collecting = e.name;
            text = '';
            if (e.name === 'f' && e.attrs.t === 'shared' && e.attrs.si !== undefined) cell.sharedFormula = e.attrs.si;
          } else if (cell && e.name === 'is') inInline = 1;
        } else if (inInline) {
          if (e.name === 'is') {
            inInline = 0;
            cell!.inline = inline.take();
          } else inline.on(e);
        } else if (e.name === 'v' || e.name === 'f') {
          if (cell && collecting === e.name) cell[e.name] = text;
          collecting = undefined;
        } else if (e.name === 'c' && cell) {
          const value = valueOf(cell, ctx);
          const formula = cell.f ? cell.f : cell.sharedFormula !== undefined ? { shared: cell.sharedFormula } : undefined;
          const dateStyled = ctx.dateStyles[cell.style] === true && (typeof value === 'number' || value instanceof JsonNumber);
          row?.cells.push({ col: cell.col, value, dateStyled, ...(formula !== undefined ? { formula } : {}) });
          nextCol = cell.col + 1;
          cell = undefined;
        } else if (e.name === 'row' && row) {
          ready.push(row);
          row = undefined;
        } else if (e.name === 'sheetData') inData = false;
      }
    } catch (err) {
      damage = err;
    }
    // The rows completed before a damaged cell are stored, then the error.
    yield* ready;
    if (damage !== undefined) throw damage;
  }
}
