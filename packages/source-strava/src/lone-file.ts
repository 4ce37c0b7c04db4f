import { basename } from 'node:path';
import { FileImportError, type ByteSource, type ImportedFile, type SourceContext } from '@bronze/core';
import { ACTIVITIES_LAYOUTS, activitiesLayoutOf } from './activities-layout.js';
import { classifyEntry, type EntryKind } from './export-layout.js';

/** Where a file given on its own with --file goes, and what the run summary should say about it. */
export interface LonePlacement {
  kind: EntryKind;
  /** The name its rows carry (`entry`, export_other_csv's raw_id prefix, export_other's raw_id). */
  file: string;
  note?: string;
  /** The note says the file was recognised (info), not that it lands where nothing reads it as Strava's (warn). */
  recognised?: boolean;
  /** A file of an unzipped export that its zip stores whole: hashed from its bytes as written, never inflated. */
  partOfExport?: boolean;
}

/**
 * The header of a CSV as written (below any preamble), or undefined when it has no row under
 * its header. A damaged file gives what was read before the damage; reading it into its
 * stream reports the damage.
 */
async function headerOf(source: ByteSource, ctx: SourceContext): Promise<string[] | undefined> {
  try {
    // The same dialect csvRows reads it with.
    for await (const r of ctx.files.csv(source, { delimiter: ',', repeatedColumns: 'number' })) {
      if (r.header) return r.header.written;
      if (!r.preamble) return undefined;
    }
  } catch (err) {
    if (!(err instanceof FileImportError)) throw err;
  }
  return undefined;
}

/**
 * A file out of the export given on its own (`inExport`: its path below the unzipped export
 * it lies in, pathInExportFolder). Inside the zip a CSV is known by its name, which
 * Strava fixes; a lone file is often renamed on the way (`activities (1).csv`,
 * `strava_activities_2024.csv`), so a CSV whose name is no export CSV's is activities.csv when
 * its header holds one of activities.csv's layouts (activities-layout.ts) whole. Anything
 * else still lands somewhere, and the run summary says where and why, naming the file.
 */
export async function placeLoneFile(file: ImportedFile, ctx: SourceContext, inExport?: string): Promise<LonePlacement> {
  const given = basename(file.path);
  // A file of an unzipped export that the zip would store whole (a photo, messaging.json, a
  // CSV below the top): export_other under the zip's entry path, as part of the export.
  if (inExport !== undefined && classifyEntry(inExport).type === 'other') return { kind: { type: 'other' }, file: inExport, recognised: true, partOfExport: true };
  const byName = classifyEntry(given);
  if (byName.type === 'activity_file') return { kind: { ...byName, gzip: file.compression === 'gzip' }, file: given };
  // core inflates a gzipped file as it reads it: `activities.csv.gz` is the CSV it holds, named without `.gz`.
  const name = file.compression === 'gzip' ? given.replace(/\.gz$/i, '') : given;
  const kind = classifyEntry(name);
  if (kind.type === 'other') {
    return { kind, file: name, note: `${given}: not a file of a Strava export that bronze reads (the zip, a CSV, a .fit/.gpx/.tcx activity file): kept whole in export_other` };
  }
  if (kind.type !== 'csv' || (kind.stream !== 'export_other_csv' && kind.stream !== 'export_activities')) return { kind, file: name };
  const header = await headerOf(file, ctx);
  const layout = header && activitiesLayoutOf(header);
  if (kind.stream === 'export_activities') {
    const note = header && !layout ? `${given}: named activities.csv, but its header holds none of activities.csv's layouts (${activityIdColumns()} with the date, name, type and file columns): a row without an activity id is stored invalid` : undefined;
    return { kind, file: name, ...(note ? { note } : {}) };
  }
  if (layout) return { kind: { type: 'csv', stream: 'export_activities' }, file: name, recognised: true, note: `${given}: read as activities.csv (its header is the ${layout.name} layout)` };
  const where = header ? 'stored row by row in export_other_csv' : 'it has no row under its header: kept whole in export_other';
  return { kind, file: name, note: `${given}: not a CSV of the Strava export by its name, nor activities.csv by its header; ${where}` };
}

const activityIdColumns = () => ACTIVITIES_LAYOUTS.map((l) => `\`${l.id}\``).join(' or ');
