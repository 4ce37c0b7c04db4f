import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ManualConfig } from '../config.js';
import { streamNameOf } from '../stream-name.js';
import { parseRels, parseWorkbook, ROOT_RELS, workbookPathOf, type SheetEntry } from './workbook.js';
import { readZipPartSync } from './zip-part-sync.js';
import { xmlEventsOf } from './xml-events.js';

/** workbook.xml and .rels parts are a few KB; anything near this is not a real one. */
export const SMALL_PART_BYTES = 16 * 1024 * 1024;

/** `Budget 2024` → `budget_2024`; a name with no a-z/0-9 (`Лист1`, `€`) → `sheet<position>`. */
function snake(name: string, position: number): string {
  const s = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return /[a-z]/.test(s) ? s : `sheet${position}${s ? `_${s}` : ''}`;
}

/**
 * The stream of each sheet, by position in workbook.xml: the file's stream (its name in
 * snake_case, or --stream) plus `_<sheet>` (`budget_2024.xlsx`, sheets `Income`, `Costs` →
 * `budget_2024_income`, `budget_2024_costs`; two sheets giving the same name → `…_2`). A
 * workbook of one sheet too: a sheet added later must not move the first one's rows to
 * another stream, where a silver layer would count them twice. When workbook.xml cannot be
 * read here, every sheet goes to the file's stream (workbookStreams), and the reader says
 * what is damaged.
 */
export function sheetStreamNames(prefix: string, sheets: SheetEntry[]): string[] {
  const used = new Set<string>();
  return sheets.map((s, i) => {
    let name = `${prefix}_${snake(s.name, i + 1)}`;
    for (let n = 2; used.has(name); n++) name = `${prefix}_${snake(s.name, i + 1)}_${n}`;
    used.add(name);
    return name;
  });
}

const cache = new Map<string, { key: string; sheets?: SheetEntry[] }>();

/** The sheets of a workbook on disk, read synchronously (core asks streams() synchronously). */
export function workbookSheetsSync(path: string): SheetEntry[] | undefined {
  const abs = resolve(path);
  let key: string;
  try {
    const st = statSync(abs);
    key = `${st.size}:${st.mtimeMs}`;
  } catch {
    return undefined;
  }
  const known = cache.get(abs);
  if (known?.key === key) return known.sheets;
  let sheets: SheetEntry[] | undefined;
  try {
    const rootRels = readZipPartSync(abs, ROOT_RELS, SMALL_PART_BYTES);
    const workbookPath = workbookPathOf(rootRels ? parseRels(xmlEventsOf(rootRels.toString('utf8'), abs, ROOT_RELS)) : undefined);
    const workbook = readZipPartSync(abs, workbookPath, SMALL_PART_BYTES);
    sheets = workbook ? parseWorkbook(xmlEventsOf(workbook.toString('utf8'), abs, workbookPath)).sheets : undefined;
  } catch {
    sheets = undefined;
  }
  cache.set(abs, { key, sheets });
  return sheets;
}

/** The streams a workbook's rows go to (streams() and the reader both ask this: they agree). */
export function workbookStreams(path: string, config: ManualConfig): string[] {
  const prefix = config.stream ?? streamNameOf(path);
  const sheets = workbookSheetsSync(path);
  return sheets?.length ? [...new Set(sheetStreamNames(prefix, sheets))] : [prefix];
}
