import { basename } from 'node:path';
import { FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import type { ManualConfig } from '../config.js';
import { streamNameOf } from '../stream-name.js';
import { readSharedStrings } from './shared-strings.js';
import { sheetRecords, type SheetReading } from '../sheets/sheet-records.js';
import { sheetStream } from '../sheets/sheet-stream.js';
import { sheetRows } from './sheet-rows.js';
import { workbookSheetsSync } from './sheet-streams.js';
import { sheetStreamNames } from '../sheets/stream-names.js';
import { dateStylesOf } from './styles.js';
import { parseRels, parseWorkbook, partPath, relsPathOf, ROOT_RELS, workbookPathOf, type Relationship } from './workbook.js';
import { WorkbookParts } from '../sheets/workbook-parts.js';

/** An OLE2 compound file: an old binary .xls, or an .xlsx saved with a password (encrypted). */
const COMPOUND_FILE = 'd0cf11e0a1b11ae1';

async function firstBytes(file: ImportedFile): Promise<string> {
  for await (const chunk of file.openRaw(0, 7)) return (chunk as Buffer).toString('hex');
  return '';
}

const partOfType = (rels: Map<string, Relationship>, type: string, from: string) => {
  for (const r of rels.values()) if (r.type.endsWith(`/${type}`)) return partPath(from, r.target);
  return undefined;
};

/**
 * An .xlsx/.xlsm workbook: every row of every sheet (hidden ones too), each sheet its own
 * stream. workbook.xml gives the sheets in order, its .rels their parts (never assumed to
 * be sheetN.xml), sharedStrings.xml the text cells point at (in memory), styles.xml which
 * cells are dates; each sheet is then streamed. Damage fails the file naming the part,
 * after the rows read before it.
 */
export async function* readWorkbook(file: ImportedFile, config: ManualConfig, ctx: SourceContext): AsyncIterable<Emitted> {
  const base = basename(file.path);
  if ((await firstBytes(file)) === COMPOUND_FILE) {
    throw new FileImportError(file.path, 'is not an .xlsx zip: it is an encrypted (password-protected) workbook or an old binary .xls; open it, remove the password, and save it as .xlsx (Excel Workbook) or .csv');
  }
  if (file.compression === 'gzip') throw new FileImportError(file.path, 'a gzipped workbook: an .xlsx is compressed already; import the .xlsx itself');
  const parts = new WorkbookParts(file, ctx);
  const rootRels = (await parts.has(ROOT_RELS)) ? parseRels(await parts.small(ROOT_RELS, 'the package relationships')) : undefined;
  const workbookPath = workbookPathOf(rootRels);
  const workbook = parseWorkbook(await parts.small(workbookPath, 'it lists the sheets'));
  const rels = parseRels(await parts.small(relsPathOf(workbookPath), 'it names the part of each sheet'));
  const stringsPath = partOfType(rels, 'sharedStrings', workbookPath);
  const sharedStrings = stringsPath && (await parts.has(stringsPath)) ? await readSharedStrings(parts.events(stringsPath, 'shared strings'), file.path, stringsPath) : [];
  const stylesPath = partOfType(rels, 'styles', workbookPath);
  const dateStyles = stylesPath && (await parts.has(stylesPath)) ? await dateStylesOf(parts.events(stylesPath, 'styles')) : [];

  // The names streams() gave core; the same reading of workbook.xml, so they agree.
  const prefix = config.stream ?? streamNameOf(file.path);
  const named = workbookSheetsSync(file.path);
  const streams = named?.length === workbook.sheets.length ? sheetStreamNames(prefix, named) : workbook.sheets.map(() => prefix);
  for (const [i, sheet] of workbook.sheets.entries()) {
    const stream = streams[i];
    const label = `sheet ${JSON.stringify(sheet.name)}`;
    const hidden = sheet.state !== 'visible' ? ` (${sheet.state}, read too)` : '';
    const rel = rels.get(sheet.rid);
    if (!rel) throw new FileImportError(file.path, `${label}: ${relsPathOf(workbookPath)} has no relationship ${JSON.stringify(sheet.rid)} naming its part; the workbook is damaged`);
    const part = partPath(workbookPath, rel.target);
    if (!rel.type.endsWith('/worksheet')) {
      ctx.note?.(`${base}: ${label}${hidden} is a ${rel.type.split('/').pop()} (${part}), not a sheet of cells: nothing to store from it`);
      continue;
    }
    const reading: SheetReading = { name: sheet.name, stream, config, date1904: workbook.date1904, note: (text) => ctx.note?.(`${base}: ${label}: ${text}`) };
    const rows = sheetRows(parts.events(part, `the cells of ${label}`), { path: file.path, label: `${label} (${part})`, sharedStrings, dateStyles });
    yield* sheetStream(sheetRecords(rows, reading), reading, file, (what) => ctx.note?.(`${base}: ${label}${hidden} → stream ${stream}: ${what}`));
  }
}
