/** What a file of the export is, by its path inside the export folder (`apple_health_export/`). */
export type ExportPart = 'export' | 'cda' | 'route' | 'ecg' | 'fhir' | 'other';

/**
 * export.xml (localised exports name it otherwise, e.g. 导出.xml: any .xml at the top
 * but the clinical document), export_cda.xml (`*_cda.xml`), workout-routes/*.gpx,
 * electrocardiograms/*.csv, clinical-records/*.json; anything else is `other`.
 */
export function partOf(relative: string): ExportPart {
  const lower = relative.toLowerCase();
  if (!lower.includes('/') && lower.endsWith('.xml')) return /_cda\.xml$/.test(lower) ? 'cda' : 'export';
  if (/^workout-routes\/[^/]+\.gpx$/.test(lower)) return 'route';
  if (/^electrocardiograms\/[^/]+\.csv$/.test(lower)) return 'ecg';
  if (/^clinical-records\/[^/]+\.json$/.test(lower)) return 'fhir';
  return 'other';
}

/** `/workout-routes/route_….gpx`: a file's path as export.xml names it (`<FileReference path>`, `resourceFilePath`). */
export function routeReference(relative: string): string {
  return `/${relative}`;
}

/** The parts export.xml names by path: a workout's route, a ClinicalRecord's FHIR resource. */
export const REFERABLE: ReadonlySet<ExportPart> = new Set<ExportPart>(['route', 'fhir']);

/**
 * Bytes of one entry read whole into one record (a GPX route, an ECG, a FHIR resource);
 * larger ones are refused, never loaded. A GPX route of 32 MiB is ~30 hours of points at
 * Apple's one per second and peaks near 1 GB while it becomes one row.
 */
export const MAX_ENTRY_BYTES = 32 * 1024 * 1024;

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${n.toLocaleString('en-US')} bytes`;
}
