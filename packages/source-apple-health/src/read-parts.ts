import type { Readable } from 'node:stream';
import { emit, type Emitted } from '@bronze/core';
import { MAX_ENTRY_BYTES, formatBytes, routeReference, type ExportPart } from './export-layout.js';
import { readCda } from './parts/cda.js';
import { readEcg } from './parts/ecg-csv.js';
import { readFhir } from './parts/fhir-json.js';
import { problemMeta, type ExportReading } from './export-reading.js';
import { readOtherFile } from './parts/other-file.js';
import { readRoute } from './parts/route-gpx.js';
import { keepingUnreadText, unreadRows, unreadRowsUntilResume } from './parts/unread-text.js';
import { DamageKept, XmlDamage } from './xml/damage.js';
import { elementWarning, readXmlElements, type ReadXmlOptions, type XmlObject } from './xml/elements.js';
import { EncodingNotRead } from './xml/xml-decoder.js';

/**
 * Damaged places in one export.xml after which reading resumes; after that many, the rest of
 * the file is kept as text. Each resume reads the file again from its start.
 */
export const MAX_RESUMES = 10;

export type { ExportReading } from './export-reading.js';

/** Which stream each child of `<HealthData>` feeds; ExportDate and the rest are handled apart. */
const STREAM_OF: Record<string, string> = {
  Record: 'records',
  Workout: 'workouts',
  Correlation: 'correlations',
  ActivitySummary: 'activity_summaries',
  Me: 'me',
};

/** The workout's route files, each once, as `/workout-routes/…` (some exports write the path without its leading slash). */
function routeRefs(workout: XmlObject): string[] {
  const refs = new Set<string>();
  for (const route of (workout.WorkoutRoute as XmlObject[] | undefined) ?? []) {
    for (const ref of (route.FileReference as XmlObject[] | undefined) ?? []) {
      if (typeof ref.path === 'string') refs.add(ref.path.startsWith('/') ? ref.path : `/${ref.path}`);
    }
  }
  return [...refs];
}

/** A ClinicalRecord's `resourceFilePath` (`/clinical-records/Observation-….json`) when the export lacks that file. */
function missingResourceFile(record: XmlObject, where: ExportXmlPlace): string | undefined {
  const path = record.resourceFilePath;
  if (typeof path !== 'string' || path === '') return undefined;
  const ref = path.startsWith('/') ? path : `/${path}`;
  return where.fileExists(ref) ? undefined : ref;
}

/** Where an export.xml is: its zip entry, the files beside it, and how to read it again for the text after a damage. */
export interface ExportXmlPlace {
  entry?: string;
  /** Its path inside the export (`export.xml`), named by the rows of its unread text. */
  file: string;
  /** Whether the export holds the route or clinical-records file export.xml names so (`/workout-routes/…`). */
  fileExists: (ref: string) => boolean;
  reopen?: () => Readable | Promise<Readable>;
}

/**
 * Every element of an export.xml as records of the streams, in file order. A workout whose
 * route file, or a ClinicalRecord whose FHIR file, is not in the export is stored with a
 * warning naming the file (the export was cut, or a part of it left behind). HealthData's
 * attributes (locale) go to export_info with the ExportDate; an export whose first element
 * is not an ExportDate gets an export_info row of its own for them, `{ HealthData }`. When
 * its XML breaks and the file can be read again, the text from the last complete element to
 * the next line that opens one of HealthData's children is stored (other_elements rows
 * `{ element: '#unread', value: UnreadText }`), reading resumes on that line (to the end of
 * the file when there is none, or after MAX_RESUMES damaged places), and DamageKept, naming
 * every damage, is thrown at the end. One generator, with its own catch: this runs once per
 * element of exports of millions, and each layer of async generators costs every element a
 * promise.
 */
export async function* readExportXml(input: Readable, label: string, reading: ExportReading, where: ExportXmlPlace): AsyncIterable<Emitted> {
  // HealthData's attributes, and the warning of a character in them XML does not allow, for export_info.
  let healthData: { attributes: Record<string, string>; line: number } | undefined;
  let healthDataWarning: string | undefined;
  // The DOCTYPE as written (`'#doctype'`, like `'#text'`: no element has that name): export_info keeps it.
  let doctype: { '#doctype'?: string } = {};
  const withoutExportDate = () => {
    const { attributes, line } = healthData!;
    healthData = undefined;
    if (!Object.keys(attributes).length && !doctype['#doctype']) return [];
    return [emit({ HealthData: attributes, ...doctype }, { stream: 'export_info', metadata: where.entry ? { entry: where.entry, line } : { line }, ...(healthDataWarning ? { warning: healthDataWarning } : {}) })];
  };
  let source: AsyncIterable<Buffer | string> = input;
  let resume: ReadXmlOptions['resume'];
  const damages: XmlDamage[] = [];
  for (;;) {
    try {
      for await (const el of readXmlElements(source, label, { containers: 1, yieldContainers: !resume, resume, readAgain: resume ? undefined : where.reopen })) {
        if (el.container) {
          healthDataWarning = elementWarning(el, label);
          healthData = { attributes: el.value as Record<string, string>, line: el.line };
          if (el.doctype !== undefined) doctype = { '#doctype': el.doctype };
          continue;
        }
        // Text between <HealthData> and <ExportDate> is no reason to store HealthData's attributes without the date.
        if (el.name !== '#text') {
          if (healthData && el.name !== 'ExportDate') yield* withoutExportDate();
          healthData = undefined;
        }
        const metadata = where.entry ? { entry: where.entry, line: el.line } : { line: el.line };
        const stream = STREAM_OF[el.name];
        const problem = problemMeta(el, label, reading);
        if (stream) {
          let warning: string | undefined;
          if (el.name === 'Workout') {
            const missing = routeRefs(el.value).filter((ref) => !where.fileExists(ref));
            if (missing.length) {
              warning = `${label} line ${el.line}: the workout's route file ${missing.join(', ')} is missing from the export`;
              reading.logger.warn(warning);
            }
          }
          const warnings = [warning, elementWarning(el, label)].filter(Boolean).join('; ');
          yield emit(el.value, { stream, metadata, ...problem, ...(warnings ? { warning: warnings } : {}) });
        } else if (el.name === 'ExportDate') {
          const warnings = [healthDataWarning, elementWarning(el, label)].filter(Boolean).join('; ');
          yield emit({ HealthData: el.root, ExportDate: el.value, ...doctype }, { stream: 'export_info', metadata, ...problem, ...(warnings ? { warning: warnings } : {}) });
        } else {
          const missing = el.name === 'ClinicalRecord' ? missingResourceFile(el.value, where) : undefined;
          const warning = missing && `${label} line ${el.line}: the clinical record's file ${missing} is missing from the export`;
          if (warning) reading.logger.warn(warning);
          const warnings = [warning, elementWarning(el, label)].filter(Boolean).join('; ');
          yield emit({ element: el.name, value: el.value }, { stream: 'other_elements', metadata, ...problem, ...(warnings ? { warning: warnings } : {}) });
        }
      }
      break;
    } catch (err) {
      if (!where.reopen || !(err instanceof XmlDamage)) throw err;
      damages.push(err);
      const unreadMetadata = where.entry ? { entry: where.entry } : {};
      const row = (value: unknown) => ({ stream: 'other_elements', record: { element: '#unread', value } });
      // A declared encoding bronze does not read: nothing of the file can be read, all of it is kept.
      if (damages.length > MAX_RESUMES || err instanceof EncodingNotRead) {
        yield* unreadRows(err, where.file, where.reopen, row, unreadMetadata);
        break;
      }
      const next = yield* unreadRowsUntilResume(err, where.file, where.reopen, row, unreadMetadata);
      if (!next) break;
      source = next.rest;
      resume = { container: 'HealthData', line: next.line, byte: next.byte, encoding: err.damage.encoding };
    }
  }
  if (healthData) yield* withoutExportDate();
  if (damages.length) throw new DamageKept(damages.length === 1 ? damages[0] : new XmlDamage(label, damagesMessage(label, damages), damages[0].damage));
}

/** Every damage of a file in one message: `2 damaged places: XML broken at line 153, …; XML broken at line 176, …`. */
function damagesMessage(label: string, damages: XmlDamage[]): string {
  const own = (e: XmlDamage) => (e.message.startsWith(`${label}: `) ? e.message.slice(label.length + 2) : e.message);
  const more = damages.length > MAX_RESUMES ? `; after ${MAX_RESUMES} resumes, the text from the last is kept to the end of the file` : '';
  return `${damages.length} damaged places: ${damages.map(own).join('; ')}${more}`;
}

const WHOLE_STREAM: Partial<Record<ExportPart, string>> = { route: 'workout_routes', ecg: 'electrocardiograms', fhir: 'clinical_records' };

/**
 * One part of the export besides export.xml, by what `partOf` says it is. Parts read
 * whole into one record are refused above MAX_ENTRY_BYTES without being read: an invalid
 * row `{ file, size }` stands for them and the file fails naming them.
 */
export async function* readPart(
  part: ExportPart,
  rel: string,
  size: number,
  open: () => Readable | Promise<Readable>,
  label: string,
  reading: ExportReading,
  metadata: Record<string, unknown>,
): AsyncIterable<Emitted> {
  const whole = WHOLE_STREAM[part];
  if (whole && size > MAX_ENTRY_BYTES) {
    const file = part === 'route' ? routeReference(rel) : rel;
    const why = `${label}: ${formatBytes(size)}, over the limit of ${formatBytes(MAX_ENTRY_BYTES)} for one file read whole into one record; not read`;
    reading.refused.push(`${label} (${formatBytes(size)})`);
    yield emit({ file, size }, { stream: whole, metadata, invalid: why, rawId: `file:${file}` });
    return;
  }
  if (part === 'route') yield* readRoute(await open(), label, routeReference(rel), reading, metadata);
  else if (part === 'ecg') yield* readEcg(await open(), rel, label, metadata);
  else if (part === 'fhir') yield* readFhir(await open(), rel, label, metadata);
  else if (part === 'cda') {
    const unread = (value: unknown) => ({ stream: 'clinical_document', record: { path: '', element: '#unread', value } });
    yield* keepingUnreadText(readCda(await open(), label, metadata, open), rel, open, unread, metadata);
  }
  else yield* readOtherFile(await open(), rel, metadata);
}
