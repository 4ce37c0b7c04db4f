import { basename } from 'node:path';
import { isZipFile, type Emitted, type FileImporter, type ImportedFile, type SourceContext } from '@bronze/core';
import type { StravaConfig } from './config.js';
import { activityInExportFolder, pathInExportFolder } from './export-folder.js';
import { placeLoneFile } from './lone-file.js';
import { exportZipRows, partRows } from './read-export.js';

/**
 * --file takes the account export zip, or one file out of it (activities.csv, another CSV,
 * an activity file): a file on its own is read as it would be inside the zip, by its name,
 * and a CSV renamed on the way by its header when that is activities.csv's (lone-file.ts).
 * A lone activity file's raw_id is its activity id when it lies in an unzipped export that
 * names it (`<export>/activities/<name>`, `<export>/activities.csv`), else
 * `file:<name>#sha256:<its content's sha256>`, so two different files both named
 * `Activity.fit` stay two records.
 */
export const stravaFiles: FileImporter<StravaConfig> = {
  accepts: '.zip (Strava account export), the export unzipped (a folder), or one file of it: .csv (activities.csv also renamed: known by its header), .fit/.gpx/.tcx (optionally .gz)',
  // In a folder: the files bronze reads, and in an unzipped export every other file too
  // (photos, PDFs, messaging.json…), which its zip stores in export_other. Hidden files are
  // no one's data (`.DS_Store`; `__MACOSX/._activities.csv`, a Mac unzip's resource fork).
  match: (path) => !basename(path).startsWith('.') && (/\.(zip|csv|fit|gpx|tcx)(\.gz)?$/i.test(path) || pathInExportFolder(path) !== undefined),
  async *read(file: ImportedFile, _config: StravaConfig, ctx: SourceContext): AsyncIterable<Emitted> {
    if (await isZipFile(file.path)) {
      yield* exportZipRows(file, ctx);
      return;
    }
    const { kind, file: name, note, recognised, partOfExport } = await placeLoneFile(file, ctx, pathInExportFolder(file.path));
    if (note) {
      if (recognised) ctx.logger.info(note);
      else ctx.logger.warn(note);
      ctx.note?.(note);
    }
    const place = { file: name, label: file.path, index: new Map<string, string>(), alone: true };
    if (kind.type === 'activity_file') {
      // In an unzipped export (a folder given, or a file out of it), activities.csv beside the
      // activities folder says whose file it is: the same raw_id as from the zip (export-folder.ts).
      const inExport = await activityInExportFolder(file.path, ctx);
      if (inExport) Object.assign(place, { file: inExport.file, index: new Map([[inExport.file, inExport.activityId]]) });
      // The raw bytes: a damaged .gz is inflated here, keeping what comes before the damage.
      const raw = { path: file.path, open: () => file.openRaw() };
      yield* partRows(raw, kind, place, ctx);
    } else if (partOfExport) {
      // A file of an unzipped export, hashed as the zip's entry is: its bytes, never inflated.
      yield* partRows({ path: file.path, open: () => file.openRaw() }, kind, place, ctx);
    } else yield* partRows(file, kind, place, ctx);
  },
};
