import { defineStream, Type, type Stream } from '@bronze/core';
import { activityIdOf, type CsvRecord } from '../activity-index.js';
import { activityDateOf } from '../activity-date.js';
import { KNOWN_CSVS } from '../export-layout.js';

/**
 * A CSV row as written: header → value, strings. A header naming a column twice (activities.csv
 * has two `Distance`, `Elapsed Time`, `Max Heart Rate`, `Relative Effort` and `Commute`
 * columns: the value shown in the app, then the exact one) keys the later ones `<name>#2`.
 * The reader's extra rows: `{ preamble: [lines] }` above a header, `{ fields: [...] }` for a
 * row of the wrong width (invalid).
 */
export const CsvRowSchema = Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())]));

/**
 * activities.csv. raw_id: `Activity ID` (`id` in exports before 2019, `Aktivitäts-ID` in German
 * ones, `ID de l'activité` in French), the id the Strava API gives the same activity;
 * source_timestamp: `Activity Date` (UTC).
 */
export const exportActivities = defineStream<CsvRecord>({
  name: 'export_activities',
  schema: CsvRowSchema,
  id: (row) => activityIdOf(row) as string,
  timestamp: activityDateOf,
});

/**
 * Any other CSV of the export, one stream each (`export_profile`, `export_bikes`, …) plus
 * `export_other_csv` for a CSV Strava adds later. These rows carry no documented id: raw_id
 * is `row:<sha256 of the row>#<n>` (the file name too in export_other_csv), numbered by
 * occurrence, so a re-export adds only rows that are new or changed. No source_timestamp.
 */
function csvStream(name: string): Stream<CsvRecord> {
  return defineStream<CsvRecord>({
    name,
    schema: CsvRowSchema,
    id: () => {
      throw new Error(`${name} rows get their raw_id from the reader`);
    },
  });
}

export const exportCsvStreams: Stream[] = [
  exportActivities,
  ...KNOWN_CSVS.filter((n) => n !== 'activities').map((n) => csvStream(`export_${n}`)),
  csvStream('export_other_csv'),
];
