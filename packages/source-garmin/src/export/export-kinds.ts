/**
 * What each file of a Garmin account export (the zip from Garmin's "Export Your Data")
 * maps to. Known JSON kinds go to their own stream, one row per entry; other JSON files of
 * the fitness, wellness, metrics and aggregator folders go to a stream per folder, one row
 * per entry; FIT files are decoded; zips inside the export (the uploaded-files parts) are
 * read too; everything else goes to `export_other`, one row per file with its path.
 */
export type EntryKind =
  | { type: 'fit' }
  | { type: 'zip' }
  | { type: 'known'; stream: KnownStream; kind: string }
  | { type: 'folder'; stream: FolderStream; kind: string }
  | { type: 'other' };

export type KnownStream = 'export_activities' | 'export_sleep' | 'export_daily_summaries';
export type FolderStream = 'export_fitness' | 'export_wellness' | 'export_metrics' | 'export_aggregator';

const KNOWN: { pattern: RegExp; stream: KnownStream }[] = [
  { pattern: /_summarizedActivities\.json$/i, stream: 'export_activities' },
  { pattern: /_sleepData\.json$/i, stream: 'export_sleep' },
  { pattern: /^UDSFile_[^/]*\.json$/i, stream: 'export_daily_summaries' },
];

const FOLDERS: { folder: RegExp; stream: FolderStream }[] = [
  { folder: /(^|\/)DI-Connect-Fitness\//i, stream: 'export_fitness' },
  { folder: /(^|\/)DI-Connect-Wellness\//i, stream: 'export_wellness' },
  { folder: /(^|\/)DI-Connect-Metrics\//i, stream: 'export_metrics' },
  { folder: /(^|\/)DI-Connect-Aggregator\//i, stream: 'export_aggregator' },
];

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The kind of a file from its name, without the account prefix and date ranges Garmin puts
 * in names: `me@example.com_0_sleepData.json` → `sleepData`, `UDSFile_2021-01-01_2021-04-11.json`
 * → `UDSFile`, `MetricsMaxMetData_20200101_20200501_123.json` → `MetricsMaxMetData`. Real exports
 * also put the account id or e-mail first without a counter (`123_userBioMetrics.json`,
 * `me@example.com_personalRecord.json`) and the date range first
 * (`2025-12-15_2026-03-05_123_nutritionLogs.json`). The kind is part of raw_id in the folder
 * streams, and the range of the newest file ends on the day of the export: left in, every entry
 * of the next export's file would be stored again under another id.
 */
export function kindOf(path: string): string {
  let name = baseName(path).replace(/\.json$/i, '');
  name = name.replace(/^[^@/]+@[^_@]+_(\d+_)?/, ''); // e-mail (may hold "_" before the @), optional counter
  name = name.replace(/^(\d{4}-\d{2}-\d{2}_)+/, ''); // leading date range
  name = name.replace(/^\d+_(?=[^\d])/, ''); // leading account id
  name = name.replace(/(_[\d-]+)+$/, ''); // trailing date range / account id
  return name || baseName(path);
}

export function classifyEntry(path: string): EntryKind {
  const name = baseName(path);
  if (/\.fit$/i.test(name)) return { type: 'fit' };
  if (/\.zip$/i.test(name)) return { type: 'zip' };
  if (!/\.json$/i.test(name)) return { type: 'other' };
  for (const k of KNOWN) if (k.pattern.test(name)) return { type: 'known', stream: k.stream, kind: kindOf(path) };
  for (const f of FOLDERS) if (f.folder.test(path)) return { type: 'folder', stream: f.stream, kind: kindOf(path) };
  return { type: 'other' };
}
