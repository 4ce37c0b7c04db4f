import { createReadStream, existsSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import type { Readable } from 'node:stream';
import { emit, FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import { readXmlElements, type XmlObject } from './xml/elements.js';
import { findLocalEntry, openLocalEntry } from './zip-salvage.js';

/** Which stream each child of `<HealthData>` feeds; ExportDate and the rest are handled apart. */
const STREAM_OF: Record<string, string> = {
  Record: 'records',
  Workout: 'workouts',
  Correlation: 'correlations',
  ActivitySummary: 'activity_summaries',
  Me: 'me',
};

const EXPORT_XML = /(^|\/)export\.xml$/;
const ROUTE_GPX = /(^|\/)workout-routes\/[^/]+\.gpx$/i;

/** `/workout-routes/route_….gpx`: a route's path as `<FileReference>` writes it. */
function routeFileName(name: string): string {
  return `/${name.slice(name.toLowerCase().lastIndexOf('workout-routes/'))}`;
}

/**
 * Every element of an export.xml as records of the streams, in file order. `routes`
 * collects the GPX paths the workouts reference (a few thousand strings at most).
 */
async function* readExportXml(input: Readable, label: string, entry: string | undefined, routes?: Set<string>): AsyncIterable<Emitted> {
  for await (const el of readXmlElements(input, label, 1)) {
    const metadata = entry ? { entry, line: el.line } : { line: el.line };
    const stream = STREAM_OF[el.name];
    if (stream) {
      if (routes && el.name === 'Workout') {
        for (const route of (el.value.WorkoutRoute as XmlObject[] | undefined) ?? []) {
          for (const ref of (route.FileReference as XmlObject[] | undefined) ?? []) if (typeof ref.path === 'string') routes.add(ref.path);
        }
      }
      yield emit(el.value, { stream, metadata });
    } else if (el.name === 'ExportDate') {
      yield emit({ HealthData: el.root, ExportDate: el.value }, { stream: 'export_info', metadata });
    } else {
      yield emit({ element: el.name, value: el.value }, { stream: 'other_elements', metadata });
    }
  }
}

async function* readRoute(input: Readable, label: string, file: string, entry?: string): AsyncIterable<Emitted> {
  for await (const el of readXmlElements(input, label, 0)) {
    yield emit({ file, gpx: el.value }, { stream: 'workout_routes', metadata: entry ? { entry } : undefined });
  }
}

async function startsLikeZip(file: ImportedFile): Promise<boolean> {
  for await (const chunk of file.openRaw(0, 3)) return (chunk as Buffer).readUInt32LE(0) === 0x04034b50;
  return false;
}

/** export.zip: export.xml and workout-routes/*.gpx, each streamed from the archive. */
async function* readZip(file: ImportedFile, ctx: SourceContext): AsyncIterable<Emitted> {
  const skipped: string[] = [];
  let found = false;
  let opened = false;
  try {
    for await (const entry of ctx.files.zipEntries(file)) {
      opened = true;
      const label = `${file.path}!${entry.name}`;
      if (EXPORT_XML.test(entry.name)) {
        found = true;
        yield* readExportXml(await entry.open(), label, entry.name);
      } else if (ROUTE_GPX.test(entry.name)) {
        yield* readRoute(await entry.open(), label, routeFileName(entry.name), entry.name);
      } else skipped.push(entry.name);
    }
  } catch (err) {
    if (opened) throw err;
    yield* salvageZip(file, (err as Error).message);
    return;
  }
  if (!found) throw new FileImportError(file.path, 'holds no export.xml: is it an Apple Health export (Health app → Export All Health Data)?');
  if (skipped.length) ctx.logger.info(`${file.path}: ${skipped.length} entries not read (e.g. ${skipped.slice(0, 3).join(', ')}): no stream takes them`);
}

/**
 * A zip whose central directory is missing (cut short): read export.xml from its local
 * header up to the damage, so what came before it is stored, then fail naming where.
 */
async function* salvageZip(file: ImportedFile, why: string): AsyncIterable<Emitted> {
  const local = await findLocalEntry(file, (name) => EXPORT_XML.test(name));
  if (!local) throw new FileImportError(file.path, `${why.replace(`${file.path}: `, '')}; no export.xml found in it`);
  const label = `${file.path}!${local.name}`;
  try {
    yield* readExportXml(openLocalEntry(file, local), label, local.name);
  } catch (err) {
    throw new FileImportError(file.path, `damaged zip archive (${why.replace(`${file.path}: `, '')}); ${(err as Error).message}`);
  }
  throw new FileImportError(file.path, `damaged zip archive (${why.replace(`${file.path}: `, '')}); export.xml was read whole from its local header at byte ${local.offset}, workout routes were not`);
}

/** An unpacked export.xml; the GPX files it references are read from beside it. */
async function* readUnpacked(file: ImportedFile): AsyncIterable<Emitted> {
  const routes = new Set<string>();
  yield* readExportXml(file.open(), file.path, undefined, routes);
  const root = dirname(file.path);
  for (const ref of routes) {
    const path = resolve(root, `.${ref.startsWith('/') ? ref : `/${ref}`}`);
    const inside = relative(root, path);
    // A reference never leads outside the export's folder.
    if (inside.startsWith('..') || isAbsolute(inside) || !existsSync(path)) continue;
    yield* readRoute(createReadStream(path), path, ref);
  }
}

export async function* readAppleHealthExport(file: ImportedFile, ctx: SourceContext): AsyncIterable<Emitted> {
  if (await startsLikeZip(file)) yield* readZip(file, ctx);
  else yield* readUnpacked(file);
}
