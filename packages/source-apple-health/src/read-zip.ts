import { FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import { partOf, REFERABLE, routeReference } from './export-layout.js';
import { isolatingDamage, recordDamage } from './export-reading.js';
import { readExportXml, readPart, type ExportReading } from './read-parts.js';
import { findLocalEntry, openLocalEntry } from './zip-salvage.js';

const EXPORT_XML = /(^|\/)export\.xml$/i;

/**
 * The folder the export lives in inside the zip (`apple_health_export/`): where its
 * export.xml is, or else its shallowest .xml that is not the clinical document.
 */
function exportRoot(names: string[]): string | undefined {
  const main = names.find((n) => EXPORT_XML.test(n)) ?? names.filter((n) => /\.xml$/i.test(n) && !/_cda\.xml$/i.test(n)).sort((a, b) => a.split('/').length - b.split('/').length)[0];
  return main === undefined ? undefined : main.slice(0, main.lastIndexOf('/') + 1);
}

/**
 * export.zip: every entry lands in a stream, each streamed from the archive (never
 * extracted; entry names are never used as paths). A first pass over the central
 * directory learns the names, so a workout whose route file is absent is told at once.
 * A damaged entry does not stop the others: each is read, the damaged ones are named
 * at the end (ExportReading.damaged).
 */
export async function* readZip(file: ImportedFile, ctx: SourceContext, reading: ExportReading): AsyncIterable<Emitted> {
  const names: string[] = [];
  try {
    for await (const entry of ctx.files.zipEntries(file)) names.push(entry.name);
  } catch (err) {
    yield* salvageZip(file, (err as Error).message, reading);
    return;
  }
  const root = exportRoot(names);
  if (root === undefined) throw new FileImportError(file.path, 'holds no export.xml: is it an Apple Health export (Health app → Export All Health Data)?');
  const rel = (name: string) => (name.startsWith(root) ? name.slice(root.length) : `../${name}`);
  const referable = new Set(names.filter((n) => REFERABLE.has(partOf(rel(n)))).map((n) => routeReference(rel(n))));

  for await (const entry of ctx.files.zipEntries(file)) {
    const label = `${file.path}!${entry.name}`;
    const path = rel(entry.name);
    const part = partOf(path);
    const reopen = () => entry.open();
    if (part === 'export') {
      const place = { entry: entry.name, file: path, fileExists: (ref: string) => referable.has(ref), reopen };
      try {
        yield* readExportXml(await entry.open(), label, reading, place);
      } catch (err) {
        recordDamage(err, reading); // inline, not isolatingDamage: no extra generator layer per element
      }
    } else {
      yield* isolatingDamage(readPart(part, path, entry.size, reopen, label, reading, { entry: entry.name }), reading);
    }
  }
}

/**
 * A zip whose central directory is missing (cut short): read export.xml from its local
 * header up to the damage, so what came before it is stored, then fail naming where.
 */
async function* salvageZip(file: ImportedFile, why: string, reading: ExportReading): AsyncIterable<Emitted> {
  const local = await findLocalEntry(file, (name) => EXPORT_XML.test(name));
  if (!local) throw new FileImportError(file.path, `${why.replace(`${file.path}: `, '')}; no export.xml found in it`);
  const label = `${file.path}!${local.name}`;
  try {
    // Route files cannot be listed without the central directory: no missing-route warnings here.
    yield* readExportXml(openLocalEntry(file, local), label, reading, { entry: local.name, file: local.name, fileExists: () => true });
  } catch (err) {
    throw new FileImportError(file.path, `damaged zip archive (${why.replace(`${file.path}: `, '')}); ${(err as Error).message}`);
  }
  throw new FileImportError(file.path, `damaged zip archive (${why.replace(`${file.path}: `, '')}); export.xml was read whole from its local header at byte ${local.offset}, the other files of the export were not`);
}
