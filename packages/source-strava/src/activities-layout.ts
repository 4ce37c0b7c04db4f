/**
 * The headers activities.csv has had, as real exports show them (sources in
 * test/fixtures/README.md, "activities.csv layouts"):
 *
 * - English since mid-2019: `Activity ID,Activity Date,Activity Name,Activity Type,…,Filename,…`
 *   (10 columns then, 79 to 101 in later files; `Elapsed Time`, `Distance`, … twice).
 * - English before mid-2019: `id,date,name,type,description,elapsed_time,distance,commute,gear,filename`.
 * - German (an account set to German): `Aktivitäts-ID,Aktivitätsdatum,Name der Aktivität,
 *   Aktivitätsart,…,Dateiname,…` (92 to 94 columns, `Verstrichene Zeit`, `Distanz`, … twice).
 * - French (an account set to French): `ID de l'activité,Date de l'activité,Nom de l'activité,
 *   Type d'activité,…,Nom du fichier,…`, the English columns in the English order (`Temps écoulé`,
 *   `Distance`, … twice).
 *
 * No other language is listed: no header of one was found (a Dutch or Spanish export's rows
 * land in export_activities only when the file is named activities.csv, and then without an
 * id: stored invalid, as written).
 */
export interface ActivitiesLayout {
  name: string;
  /** The activity id column: the id the API gives the same activity. */
  id: string;
  /** When the activity started, in UTC. */
  date: string;
  /** The activity file below the export root (`activities/123.fit.gz`), empty for a manual entry. */
  file: string;
  /** Columns every file of this layout has: a header holding all of them is activities.csv. */
  signature: readonly string[];
}

export const ACTIVITIES_LAYOUTS: readonly ActivitiesLayout[] = [
  { name: 'English', id: 'Activity ID', date: 'Activity Date', file: 'Filename', signature: ['Activity ID', 'Activity Date', 'Activity Name', 'Activity Type', 'Filename'] },
  { name: 'English, before 2019', id: 'id', date: 'date', file: 'filename', signature: ['id', 'date', 'name', 'type', 'filename'] },
  { name: 'German', id: 'Aktivitäts-ID', date: 'Aktivitätsdatum', file: 'Dateiname', signature: ['Aktivitäts-ID', 'Aktivitätsdatum', 'Name der Aktivität', 'Aktivitätsart', 'Dateiname'] },
  { name: 'French', id: "ID de l'activité", date: "Date de l'activité", file: 'Nom du fichier', signature: ["ID de l'activité", "Date de l'activité", "Nom de l'activité", "Type d'activité", 'Nom du fichier'] },
];

/**
 * The layout a header (its names as written) is, or undefined when it holds no layout's whole
 * signature: five columns at once is what makes it activities.csv and not any table that
 * happens to have an `id` column.
 */
export function activitiesLayoutOf(header: readonly string[]): ActivitiesLayout | undefined {
  const names = new Set(header.map((h) => h.trim()));
  return ACTIVITIES_LAYOUTS.find((l) => l.signature.every((c) => names.has(c)));
}

/**
 * The value of the first layout's column the row has (English first), trimmed; undefined when
 * blank. A row has the columns of one layout, so this is that layout's value.
 */
export function firstOf(row: Record<string, string>, column: (l: ActivitiesLayout) => string): string | undefined {
  const layout = ACTIVITIES_LAYOUTS.find((l) => Object.hasOwn(row, column(l)));
  const value = layout && row[column(layout)]?.trim();
  return value || undefined;
}
