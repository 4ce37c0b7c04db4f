import { FileImportError, type ByteSource, type Emitted, type ImportedFile, type SourceContext, type ZipEntry } from '@bronze/core';
import { readActivityIndex } from './activity-index.js';
import { classifyEntry, exportRoot, relativeTo, type EntryKind } from './export-layout.js';
import { readOtherFile } from './other-file.js';
import { activityFileRows } from './read-activity-file.js';
import { csvRows } from './read-csv.js';

/** Where an entry or file stands in the export, and what is known about the activities. */
export interface ExportPlace {
  /** Path below the export root: `activities.csv`, `activities/123.fit.gz`. */
  file: string;
  label: string;
  /** activities.csv's Filename → Activity ID. */
  index: Map<string, string>;
  /** A file given on its own (--file), not an entry of the export zip. */
  alone?: boolean;
}

/** The rows of one part of the export (a zip entry, or a file given on its own). */
export async function* partRows(source: ByteSource, kind: EntryKind, place: ExportPlace, ctx: SourceContext): AsyncIterable<Emitted> {
  if (kind.type === 'csv') {
    const count = { rows: 0 };
    yield* csvRows(source, place.file, kind.stream, ctx, count);
    // A CSV with a header and no row still lands somewhere: its text in export_other.
    if (count.rows === 0) yield await readOtherFile(await source.open(), place.file, { entry: place.file });
  } else if (kind.type === 'activity_file') {
    yield* activityFileRows(source, { file: place.file, format: kind.format, gzip: kind.gzip, activityId: place.index.get(place.file), label: place.label, alone: place.alone });
  } else {
    yield await readOtherFile(await source.open(), place.file, { entry: place.file });
  }
}

function entrySource(file: ImportedFile, entry: ZipEntry): ByteSource {
  return { path: `${file.path}!${entry.name}`, open: () => entry.open() };
}

/**
 * The account export zip, read as streams (never extracted). A first pass lists the
 * entries and reads activities.csv, so each activity file is stored under its activity id
 * whatever order the zip holds them in; the second pass reads every entry into a stream.
 */
export async function* exportZipRows(file: ImportedFile, ctx: SourceContext): AsyncIterable<Emitted> {
  const names: string[] = [];
  let index = new Map<string, string>();
  for await (const entry of ctx.files.zipEntries(file)) names.push(entry.name);
  const root = exportRoot(names);
  const csvName = names.find((n) => relativeTo(root, n).toLowerCase() === 'activities.csv');
  if (csvName) {
    for await (const entry of ctx.files.zipEntries(file)) {
      if (entry.name !== csvName) continue;
      index = await readActivityIndex(entrySource(file, entry), ctx);
      break;
    }
  }
  if (!names.some((n) => /\.(csv|fit|gpx|tcx)(\.gz)?$/i.test(n))) {
    throw new FileImportError(file.path, 'holds no CSV and no activity file: is it a Strava account export (Settings → My Account → Download or Delete Your Account)?');
  }
  // One damaged entry (a CSV broken part-way) does not stop the others: the zip's central
  // directory gives every entry on its own. The file fails at the end, naming the damaged ones.
  const damaged: string[] = [];
  for await (const entry of ctx.files.zipEntries(file)) {
    const rel = relativeTo(root, entry.name);
    try {
      yield* partRows(entrySource(file, entry), classifyEntry(rel), { file: rel, label: `${file.path}!${entry.name}`, index }, ctx);
    } catch (err) {
      if (!(err instanceof FileImportError) || ctx.signal.aborted) throw err;
      ctx.logger.error(err.message);
      damaged.push(err.message);
    }
  }
  if (damaged.length) {
    throw new FileImportError(file.path, `${damaged.length} entr${damaged.length === 1 ? 'y' : 'ies'} of the export could not be read whole (the rows before each damage are stored, and every other entry): ${damaged.join('; ')}`);
  }
}
