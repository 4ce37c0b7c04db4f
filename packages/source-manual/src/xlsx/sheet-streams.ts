import type { ManualConfig } from '../config.js';
import { streamNameOf } from '../stream-name.js';
import { parseRels, parseWorkbook, ROOT_RELS, workbookPathOf, type SheetEntry } from './workbook.js';
import { readZipPartSync } from '../sheets/zip-part-sync.js';
import { xmlEventsOf, xmlPartText } from '../sheets/xml-events.js';
import { sheetStreamNames } from '../sheets/stream-names.js';
import { FileVersionCache } from '../sheets/file-version-cache.js';

/** workbook.xml and .rels parts are a few KB; anything near this is not a real one. */
export const SMALL_PART_BYTES = 16 * 1024 * 1024;

/** The sheets of a workbook on disk, read synchronously (core asks streams() synchronously). */
export const workbookSheetsSync = (path: string): SheetEntry[] | undefined => workbookSheets.get(path);

const workbookSheets = new FileVersionCache<SheetEntry[]>((abs) => {
  try {
    const rootRels = readZipPartSync(abs, ROOT_RELS, SMALL_PART_BYTES);
    const workbookPath = workbookPathOf(rootRels ? parseRels(xmlEventsOf(xmlPartText(rootRels), abs, ROOT_RELS)) : undefined);
    const workbook = readZipPartSync(abs, workbookPath, SMALL_PART_BYTES);
    return workbook ? parseWorkbook(xmlEventsOf(xmlPartText(workbook), abs, workbookPath)).sheets : undefined;
  } catch {
    return undefined;
  }
});

/** The streams a workbook's rows go to (streams() and the reader both ask this: they agree). */
export function workbookStreams(path: string, config: ManualConfig): string[] {
  const prefix = config.stream ?? streamNameOf(path);
  const sheets = workbookSheetsSync(path);
  return sheets?.length ? [...new Set(sheetStreamNames(prefix, sheets))] : [prefix];
}
