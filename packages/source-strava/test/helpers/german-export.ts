import { fixture } from './export-zip.js';

/**
 * The header of a German account's activities.csv (92 columns), as two users pasted it from
 * their exports (geo-activity-playground issues #348 and #86; test/fixtures/README.md).
 */
export const GERMAN_HEADER = fixture('strava_activities_header_de.csv').toString('utf8').trimEnd();

/** A German activities.csv row: the named columns set (the first of a repeated name), every other one empty. */
export function germanRow(values: Record<string, string>): string {
  const columns = GERMAN_HEADER.split(',');
  const cells = columns.map(() => '');
  for (const [name, value] of Object.entries(values)) cells[columns.indexOf(name)] = /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return cells.join(',');
}

/**
 * Two activities in the formats the real rows show (issue #86): the date day first in UTC
 * (`09.12.2022, 15:24:49`), a decimal comma (`"9,44"`), a description over three lines, a
 * device upload named by its upload id, and a manual entry without a file. Values made up.
 */
export const GERMAN_ACTIVITIES = [
  { id: '9002001', file: 'activities/9102001.fit.gz', date: '09.12.2022, 15:24:49', utc: '2022-12-09T15:24:49.000Z' },
  { id: '9002002', file: '', date: '10.12.2022, 07:05:00', utc: '2022-12-10T07:05:00.000Z' },
];

export function germanActivitiesCsv(): string {
  const rows = GERMAN_ACTIVITIES.map((a, i) =>
    germanRow({ 'Aktivitäts-ID': a.id, Aktivitätsdatum: a.date, 'Name der Aktivität': `Runde ${i + 1}`, Aktivitätsart: 'Radfahrt', Aktivitätsbeschreibung: 'bewölkt, 0°C\n---\n ', Distanz: '9,44', Dateiname: a.file }),
  );
  return `${[GERMAN_HEADER, ...rows].join('\n')}\n`;
}
