import { FileImportError, type ByteSource, type SourceContext } from '@bronze/core';
import { firstOf } from './activities-layout.js';

export type CsvRecord = Record<string, string>;

/** The activity's id in activities.csv: `Activity ID` (since 2019), `id` (older exports), `Aktivitäts-ID` (German), `ID de l'activité` (French). */
export function activityIdOf(row: CsvRecord): string | undefined {
  return firstOf(row, (l) => l.id);
}

/** The activity file a row names (`Filename`, `filename`, `Dateiname`, `Nom du fichier`): `activities/3184653380.fit.gz`, or none for a manual entry. */
export function activityFileOf(row: CsvRecord): string | undefined {
  return firstOf(row, (l) => l.file);
}

/**
 * Which activity each file under activities/ belongs to, from activities.csv's Filename
 * column. The file name is not the activity id for files uploaded from a device or another
 * service (`activities/3184653380.fit.gz` is activity 2987876185: the number is Strava's
 * upload id); only activities recorded in Strava's app are named by their id. So the file's
 * raw_id comes from this index, not from its name.
 */
export async function readActivityIndex(csv: ByteSource, ctx: SourceContext): Promise<Map<string, string>> {
  const index = new Map<string, string>();
  try {
    // The same dialect as the rows' read (csvRows): comma-separated, whatever the first lines look like.
    for await (const r of ctx.files.csv(csv, { delimiter: ',', repeatedColumns: 'number' })) {
      if (!r.row) continue;
      const id = activityIdOf(r.row);
      const file = activityFileOf(r.row);
      if (id && file) index.set(file, id);
    }
  } catch (err) {
    // A CSV broken part-way: the rows above the damage still name their files. The damage
    // itself is reported once, when the second pass reads activities.csv into its stream.
    if (!(err instanceof FileImportError)) throw err;
  }
  return index;
}
