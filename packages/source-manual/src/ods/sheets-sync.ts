import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { ManualConfig } from '../config.js';
import { streamNameOf } from '../stream-name.js';
import { sheetStreamNames } from '../sheets/stream-names.js';
import { xmlElementWriter } from '../sheets/xml-events.js';
import { inflateRawPieces } from '../sheets/inflate-sync.js';
import { readZipPartPiecesSync } from '../sheets/zip-part-sync.js';
import { SheetList, type OdsSheet } from './sheet-list.js';
import { FileVersionCache } from '../sheets/file-version-cache.js';

export const CONTENT_PART = 'content.xml';

/** `.fods`: a flat OpenDocument spreadsheet, one XML file (no zip). */
export const isFlat = (path: string) => /\.fods(\.gz)?$/i.test(path);

/** The deflate data of a gzip file starts after its header (RFC 1952): 10 bytes and the optional fields its flags announce. */
function gzipHeaderLength(fd: number): number {
  const head = Buffer.alloc(10);
  if (readSync(fd, head, 0, 10, 0) < 10 || head[0] !== 0x1f || head[1] !== 0x8b || head[2] !== 8) throw new Error('not gzip');
  const flags = head[3];
  let at = 10;
  const byteAt = (i: number) => {
    const b = Buffer.alloc(1);
    if (readSync(fd, b, 0, 1, i) < 1) throw new Error('gzip header cut short');
    return b[0];
  };
  if (flags & 4) at += 2 + (byteAt(at) | (byteAt(at + 1) << 8));
  for (const flag of [8, 16]) if (flags & flag) while (byteAt(at++) !== 0);
  if (flags & 2) at += 2;
  return at;
}

/** Reads a flat .fods file (gzipped too) synchronously, a piece at a time. */
function readFilePiecesSync(path: string, onBytes: (bytes: Buffer) => void): boolean {
  const fd = openSync(path, 'r');
  try {
    let at = /\.gz$/i.test(path) ? gzipHeaderLength(fd) : 0;
    const read = (buf: Buffer) => {
      const n = readSync(fd, buf, 0, buf.length, at);
      at += n;
      return n;
    };
    if (/\.gz$/i.test(path)) inflateRawPieces(read, onBytes, Number.MAX_SAFE_INTEGER);
    else for (let piece = Buffer.alloc(1 << 16), n; (n = read(piece)) > 0; ) onBytes(Buffer.from(piece.subarray(0, n)));
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * The sheets of an .ods file, read synchronously: core asks streams() synchronously, and
 * only content.xml names the sheets (there is no small part listing them, as an .xlsx has
 * workbook.xml). The whole part is parsed a piece at a time, keeping only the names: memory
 * stays bounded, and the time is one more pass over content.xml (the rows are read later,
 * streamed). Damaged part-way, the sheets before the damage (the reader stops there too);
 * undefined when no sheet can be read so (no zip, encryption): then the file's rows would
 * go to the file's own stream, and the reader says what is wrong.
 */
function listSheets(path: string): OdsSheet[] | undefined {
  const sheets: OdsSheet[] = [];
  const list = new SheetList();
  const xml = xmlElementWriter(path, CONTENT_PART, 'odf');
  const decoder = new StringDecoder('utf8');
  const take = (events: ReturnType<typeof xml.write>) => {
    for (const e of events) {
      const sheet = list.on(e);
      if (sheet) sheets.push(sheet);
    }
  };
  const read = isFlat(path) ? readFilePiecesSync : (p: string, on: (b: Buffer) => void) => readZipPartPiecesSync(p, CONTENT_PART, on);
  try {
    if (read(path, (bytes) => take(xml.write(decoder.write(bytes))))) {
      take(xml.write(decoder.end()));
      take(xml.close());
    }
  } catch {
    // Damage: the sheets before it are named as the reader will find them (it stops at the same place).
  }
  return list.spreadsheet ? sheets : undefined;
}

const odsSheets = new FileVersionCache<OdsSheet[]>(listSheets);

/** The sheets of an .ods (or .fods) file on disk, listed once per version of the file. */
export const odsSheetsSync = (path: string): OdsSheet[] | undefined => odsSheets.get(path);

/** The streams an .ods file's rows go to (streams() and the reader both ask this: they agree). */
export function odsStreams(path: string, config: ManualConfig): string[] {
  const prefix = config.stream ?? streamNameOf(path);
  const sheets = odsSheetsSync(path);
  return sheets?.length ? [...new Set(sheetStreamNames(prefix, sheets))] : [prefix];
}
