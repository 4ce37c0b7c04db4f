import { createReadStream, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import { folderFacts, type SourceContext } from '@bronze/core';
import { readActivityIndex } from './activity-index.js';

/** An activity file of an unzipped export: its path as activities.csv names it, and that activity's id. */
export interface FolderActivity {
  /** `activities/12866632127.fit.gz`: its path below the export folder, as inside the zip. */
  file: string;
  activityId: string;
}

// activities.csv of each export folder met, read once per run (a folder holds thousands of activity files).
const indexes = new Map<string, { size: number; mtimeMs: number; index: Promise<Map<string, string>> }>();

async function indexOf(csv: string, ctx: SourceContext): Promise<Map<string, string> | undefined> {
  const st = await stat(csv).catch(() => undefined);
  if (!st?.isFile()) return undefined;
  const known = indexes.get(csv);
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.index;
  const index = readActivityIndex({ path: csv, open: () => createReadStream(csv) }, ctx);
  index.catch(() => indexes.delete(csv)); // a failed read is tried again by the next file, not remembered
  indexes.set(csv, { size: st.size, mtimeMs: st.mtimeMs, index });
  return index;
}

/**
 * The activity a file belongs to when it lies where the unzipped export put it,
 * `<export>/activities/<name>` with `<export>/activities.csv` beside that folder, and
 * activities.csv names it: then it is stored under its activity id, as from the zip. Without
 * this, an export unzipped and imported as a folder stored every activity file under
 * `file:<name>#sha256:…`, and the same export (or the next, cumulative one) imported as a zip
 * stored each one again under its activity id: every activity file and its fit_messages twice.
 *
 * A file activities.csv does not name keeps the lone file's id (`file:<name>#sha256:…`): a path
 * alone never makes a record (a device's `Activity.fit` copied to the same place again is
 * another activity). A file gunzipped in place (`123.fit` where the export had `123.fit.gz`,
 * as some tools tell users to do) is the file activities.csv names with `.gz`.
 */
export async function activityInExportFolder(path: string, ctx: SourceContext): Promise<FolderActivity | undefined> {
  const folder = dirname(path);
  const index = await indexOf(join(dirname(folder), 'activities.csv'), ctx);
  if (!index) return undefined;
  const file = `${basename(folder)}/${basename(path)}`;
  const activityId = index.get(file) ?? index.get(`${file}.gz`);
  return activityId ? { file, activityId } : undefined;
}

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * Whether a folder holds activities.csv, which every export has (the zip's exportRoot also
 * takes profile.csv: in a folder of the user's own files, a `profile.csv` is too common a name
 * to make the files around it Strava's). Asked for each of a walk's thousands of files.
 */
const holdsActivitiesCsv = folderFacts((dir) => isFile(join(dir, 'activities.csv')));

/** The nearest folder at or above `dir` holding activities.csv. */
function exportRootAbove(dir: string): string | undefined {
  for (let at = dir; ; at = dirname(at)) {
    if (holdsActivitiesCsv(at)) return at;
    if (dirname(at) === at) return undefined;
  }
}

/**
 * A file's path below the unzipped export it lies in (`media/1a2b.jpg`, `messaging.json`), as
 * the zip names that entry, or undefined when no folder above it holds activities.csv.
 * Hidden files (`.DS_Store`, `._name` of a Mac unzip) are not the export's.
 */
export function pathInExportFolder(path: string): string | undefined {
  if (basename(path).startsWith('.')) return undefined;
  const root = exportRootAbove(dirname(path));
  return root === undefined ? undefined : relative(root, path).split(sep).join('/');
}
