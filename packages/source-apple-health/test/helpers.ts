import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, silentLogger, type BronzeDatabase, type IngestOptions } from '@bronze/core';
import source, { generateExport, type GenerateOptions } from '../src/index.js';

export const FIXTURE = join(import.meta.dirname, 'fixtures', 'healthkit-to-sqlite_tests_export.xml');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'bronze-ah-'));
}

export async function generatedXml(o: GenerateOptions): Promise<string> {
  let text = '';
  for await (const chunk of generateExport(o)) text += chunk;
  return text;
}

/** A zip laid out like the Health app's: apple_health_export/export.xml plus extra entries. */
export { writeZip } from '@bronze/testkit';

export function gpx(times: string[]): string {
  const points = times
    .map((t, i) => `<trkpt lon="13.40${i}" lat="52.52${i}"><ele>34.2</ele><time>${t}</time><extensions><speed>2.5</speed><course>90.1</course><hAcc>3.2</hAcc><vAcc>2.1</vAcc></extensions></trkpt>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="Apple Health Export" xmlns="http://www.topografix.com/GPX/1/1">\n<metadata><time>${times[0]}</time></metadata>\n<trk><name>Route</name><trkseg>\n${points}\n</trkseg></trk>\n</gpx>\n`;
}

export function run(db: BronzeDatabase, files: string[], extra: Partial<IngestOptions> = {}) {
  return ingest(db, source, { files, logger: silentLogger(), ...extra });
}

/** Rows per stream in bronze_apple_health. */
export async function rowsPerStream(db: BronzeDatabase): Promise<Record<string, number>> {
  const rows = await db.withSession((s) =>
    s.query<{ stream: string; n: number }>('SELECT stream, count(*)::int AS n FROM bronze_apple_health GROUP BY stream ORDER BY stream'),
  );
  return Object.fromEntries(rows.map((r) => [r.stream, r.n]));
}

/** Occurrences of each child element of <HealthData>, counted from the text (two-space indent). */
export function topLevelCounts(xml: string): Record<string, number> {
  const count = (tag: string) => xml.split(`\n  <${tag} `).length - 1 + (xml.split(`\n  <${tag}/>`).length - 1);
  return {
    records: count('Record'),
    workouts: count('Workout'),
    correlations: count('Correlation'),
    activity_summaries: count('ActivitySummary'),
    me: count('Me'),
    export_info: count('ExportDate'),
  };
}

/** The counts without the streams that have none (rowsPerStream lists only streams with rows). */
export function nonZero(counts: object): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}

/** Workouts whose `<WorkoutRoute>` names a `<FileReference>`, counted from the text. */
export function workoutsWithRouteFile(xml: string): number {
  return xml.split('<Workout ').slice(1).filter((w) => w.slice(0, w.indexOf('</Workout>')).includes('<FileReference ')).length;
}
