import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import { failIfIncomplete, isolatingDamage, recordDamage } from './export-reading.js';
import { partOf, REFERABLE, routeReference } from './export-layout.js';
import { readExportXml, readPart, type ExportReading } from './read-parts.js';
import { readZip } from './read-zip.js';
import { utf16Order } from './xml/xml-decoder.js';

/** The files beside an unpacked export.xml, as paths relative to its folder ('/'-separated), sorted. */
async function filesBeside(root: string, wholeFolder: boolean): Promise<string[]> {
  const list = async (dir: string, recursive: boolean) => {
    const out: string[] = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive }).catch(() => [])) {
      const path = join(e.parentPath ?? e.path, e.name);
      // A symbolic link to a file is that file (core's folder walk reads them too).
      if (e.isFile() || (e.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile())) out.push(relative(root, path).split(sep).join('/'));
    }
    return out;
  };
  if (wholeFolder) return (await list(root, true)).sort();
  // export.xml outside an apple_health_export folder: only the parts an export has, never the folder's other files.
  const found = [
    ...(await list(root, false)).filter((f) => partOf(f) === 'cda'),
    ...(await list(join(root, 'workout-routes'), false)),
    ...(await list(join(root, 'electrocardiograms'), false)),
    ...(await list(join(root, 'clinical-records'), false)),
  ];
  return found.filter((f) => partOf(f) !== 'other').sort();
}

/**
 * An unpacked export.xml, then the rest of its folder: every file of it when the folder
 * is Apple's `apple_health_export`, else only the parts an export has (export_cda.xml,
 * workout-routes/, electrocardiograms/, clinical-records/). Nothing outside the folder.
 * A damaged file does not stop the others (ExportReading.damaged).
 */
async function* readUnpacked(file: ImportedFile, reading: ExportReading): AsyncIterable<Emitted> {
  const root = dirname(file.path);
  const self = basename(file.path);
  const beside = (await filesBeside(root, basename(root) === 'apple_health_export')).filter((f) => f !== self);
  const referable = new Set(beside.filter((f) => REFERABLE.has(partOf(f))).map(routeReference));
  const place = { file: self, fileExists: (ref: string) => referable.has(ref), reopen: () => file.open() };
  try {
    yield* readExportXml(file.open(), file.path, reading, place);
  } catch (err) {
    recordDamage(err, reading);
  }
  for (const rel of beside) {
    const path = join(root, rel);
    const { size } = await stat(path);
    yield* isolatingDamage(readPart(partOf(rel) === 'export' ? 'other' : partOf(rel), rel, size, () => createReadStream(path), path, reading, { file: rel }), reading);
  }
}

export async function* readAppleHealthExport(file: ImportedFile, ctx: SourceContext): AsyncIterable<Emitted> {
  const reading: ExportReading = { logger: ctx.logger, refused: [], damaged: [], kept: [], note: ctx.note };
  if (await startsLikeZip(file)) yield* readZip(file, ctx, reading);
  else {
    const start = await firstBytes(file);
    if (!startsLikeXml(start)) {
      // A bank CSV given to the wrong source was stored as one unreadable "damaged" element
      // and the file marked imported: refused instead, naming what it holds.
      const shown = JSON.stringify(start.toString('latin1').replace(/[^\x20-\x7e]/g, '.').slice(0, 40));
      throw new FileImportError(file.path, `is not an Apple Health export: neither a zip nor XML (it starts ${shown}); apple-health imports export.zip from the Health app, the export.xml inside it, or the unpacked folder`);
    }
    if (partOf(basename(file.path)) === 'cda') yield* isolatingDamage(readCdaAlone(file, reading), reading);
    else yield* readUnpacked(file, reading);
  }
  failIfIncomplete(file.path, reading);
}

/**
 * export_cda.xml given by itself: the clinical document it is, with the rows (ids,
 * content) it gets when read with its export, so importing the export later adds nothing.
 */
function readCdaAlone(file: ImportedFile, reading: ExportReading): AsyncIterable<Emitted> {
  return readPart('cda', basename(file.path), file.size, () => file.open(), file.path, reading, { file: basename(file.path) });
}

async function firstBytes(file: ImportedFile): Promise<Buffer> {
  for await (const chunk of file.open()) return (chunk as Buffer).subarray(0, 64);
  return Buffer.alloc(0);
}

/**
 * XML's first character is `<` (a declaration, a comment or an element), after an optional
 * byte-order mark and white space, in UTF-8 or UTF-16 (with its byte order mark or without:
 * utf16Order). An empty file is left to the reader (it says so as for any export without HealthData).
 */
function startsLikeXml(start: Buffer): boolean {
  if (!start.length) return true;
  const utf16 = utf16Order(start);
  const even = start.subarray(0, start.length & ~1);
  // A byte order mark decodes to U+FEFF, which \s matches.
  const text = utf16 === 'UTF-16LE' ? even.toString('utf16le') : utf16 === 'UTF-16BE' ? Buffer.from(even).swap16().toString('utf16le') : start.toString('latin1').replace(/^\xef\xbb\xbf/, '');
  return /^\s*</.test(text);
}

async function startsLikeZip(file: ImportedFile): Promise<boolean> {
  for await (const chunk of file.openRaw(0, 3)) return (chunk as Buffer).length >= 4 && (chunk as Buffer).readUInt32LE(0) === 0x04034b50;
  return false;
}
