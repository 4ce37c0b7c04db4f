import { basename } from 'node:path';
import { FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import type { ManualConfig } from '../config.js';
import { streamNameOf } from '../stream-name.js';
import type { SheetRow } from '../sheets/cells.js';
import { sheetRecords, type SheetReading } from '../sheets/sheet-records.js';
import { sheetStream } from '../sheets/sheet-stream.js';
import { sheetStreamNames } from '../sheets/stream-names.js';
import { WorkbookParts } from '../sheets/workbook-parts.js';
import { xmlEvents, type XmlEvent } from '../sheets/xml-events.js';
import { contentRows, type OdsItem } from './content-rows.js';
import { checkPackage } from './package-checks.js';
import { CONTENT_PART, isFlat, odsSheetsSync } from './sheets-sync.js';

/** content.xml's events: from the zip (.ods), or the whole file (.fods, flat XML; gzipped too). */
async function contentEvents(file: ImportedFile, ctx: SourceContext): Promise<{ events: AsyncIterable<XmlEvent[]>; part: string }> {
  if (isFlat(file.path)) return { events: xmlEvents(file.open(), file.path, 'the flat XML', 'odf'), part: 'the flat XML' };
  if (file.compression === 'gzip') throw new FileImportError(file.path, 'a gzipped .ods: an .ods is compressed already; import the .ods itself');
  await checkPackage(file, ctx);
  const parts = new WorkbookParts(file, ctx, 'an OpenDocument spreadsheet', 'odf');
  return { events: parts.events(CONTENT_PART, 'it holds the sheets'), part: CONTENT_PART };
}

/** The rows of the sheet just begun, pulled from the shared stream of content.xml up to the sheet's end. */
async function* rowsUntilEnd(items: AsyncIterator<OdsItem>, state: { ended: boolean }): AsyncIterable<SheetRow> {
  for (;;) {
    const next = await items.next();
    if (next.done || next.value.kind === 'end') break;
    if (next.value.kind === 'row') yield next.value.row;
  }
  state.ended = true;
}

/**
 * An OpenDocument spreadsheet (.ods, LibreOffice's own format; .fods, its flat XML): every
 * row of every sheet (hidden ones too), each sheet its own stream, read as an .xlsx sheet is
 * (sheets/: the header row, keys, ids, timestamp choice, warnings, summary), so a table saved
 * either way gives the same streams and records. content.xml is streamed once: sheets follow
 * each other in it, each read as it comes. An encrypted or damaged file fails naming it,
 * before any row (encryption) or after the rows read before the damage.
 */
export async function* readOds(file: ImportedFile, config: ManualConfig, ctx: SourceContext): AsyncIterable<Emitted> {
  const base = basename(file.path);
  const { events, part } = await contentEvents(file, ctx);
  const prefix = config.stream ?? streamNameOf(file.path);
  // The names streams() gave core: the same listing of the same content.xml, so they agree.
  const listed = odsSheetsSync(file.path);
  const streams = listed ? sheetStreamNames(prefix, listed) : undefined;
  const items = contentRows(events, file.path, part)[Symbol.asyncIterator]();
  for (let i = 0; ; i++) {
    const next = await items.next();
    if (next.done) break;
    if (next.value.kind !== 'sheet') continue;
    const sheet = next.value;
    if (listed && listed[i]?.name !== sheet.name) throw new FileImportError(file.path, `${part}: sheet ${JSON.stringify(sheet.name)} was not found when the file's sheets were listed (the file changed while being read, or is damaged there); import it again`);
    const stream = streams?.[i] ?? prefix;
    const label = `sheet ${JSON.stringify(sheet.name)}`;
    const reading: SheetReading = { name: sheet.name, stream, config, date1904: false, note: (text) => ctx.note?.(`${base}: ${label}: ${text}`) };
    const state = { ended: false };
    yield* sheetStream(sheetRecords(rowsUntilEnd(items, state), reading), reading, file, (what) =>
      ctx.note?.(`${base}: ${label}${sheet.hidden ? ' (hidden, read too)' : ''} → stream ${stream}: ${what}`),
    );
    if (!state.ended) for await (const _ of rowsUntilEnd(items, state));
  }
}
