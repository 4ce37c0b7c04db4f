import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import { partOf, routeReference } from './export-layout.js';
import { readExportXml, readPart, type ExportReading } from './read-parts.js';
import { readZip } from './read-zip.js';

/** The files beside an unpacked export.xml, as paths relative to its folder ('/'-separated), sorted. */
async function filesBeside(root: string, wholeFolder: boolean): Promise<string[]> {
  const list = async (dir: string, recursive: boolean) =>
    (await readdir(dir, { withFileTypes: true, recursive }).catch(() => []))
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath ?? e.path, e.name)).split(sep).join('/'));
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
 */
async function* readUnpacked(file: ImportedFile, reading: ExportReading): AsyncIterable<Emitted> {
  const root = dirname(file.path);
  const self = basename(file.path);
  const beside = (await filesBeside(root, basename(root) === 'apple_health_export')).filter((f) => f !== self);
  const routes = new Set(beside.filter((f) => partOf(f) === 'route').map(routeReference));
  yield* readExportXml(file.open(), file.path, reading, { routeExists: (ref) => routes.has(ref) });
  for (const rel of beside) {
    const path = join(root, rel);
    const { size } = await stat(path);
    yield* readPart(partOf(rel) === 'export' ? 'other' : partOf(rel), rel, size, () => createReadStream(path), path, reading, { file: rel });
  }
}

export async function* readAppleHealthExport(file: ImportedFile, ctx: SourceContext): AsyncIterable<Emitted> {
  const reading: ExportReading = { logger: ctx.logger, refused: [] };
  if (await startsLikeZip(file)) yield* readZip(file, ctx, reading);
  else yield* readUnpacked(file, reading);
  if (reading.refused.length) {
    throw new FileImportError(
      file.path,
      `${reading.refused.length} part(s) too large to store whole, stored as invalid rows without their content: ${reading.refused.slice(0, 5).join(', ')}${reading.refused.length > 5 ? ', …' : ''}; everything else is stored`,
    );
  }
}

async function startsLikeZip(file: ImportedFile): Promise<boolean> {
  for await (const chunk of file.openRaw(0, 3)) return (chunk as Buffer).length >= 4 && (chunk as Buffer).readUInt32LE(0) === 0x04034b50;
  return false;
}
