import type { Readable } from 'node:stream';
import { emit, type Emitted, type Logger } from '@bronze/core';
import { MAX_ENTRY_BYTES, formatBytes, routeReference, type ExportPart } from './export-layout.js';
import { readCda } from './parts/cda.js';
import { readEcg } from './parts/ecg-csv.js';
import { readFhir } from './parts/fhir-json.js';
import { readOtherFile } from './parts/other-file.js';
import { readXmlElements, type XmlElement, type XmlObject } from './xml/elements.js';

/** Which stream each child of `<HealthData>` feeds; ExportDate and the rest are handled apart. */
const STREAM_OF: Record<string, string> = {
  Record: 'records',
  Workout: 'workouts',
  Correlation: 'correlations',
  ActivitySummary: 'activity_summaries',
  Me: 'me',
};

/** What one import notices across the parts of an export. */
export interface ExportReading {
  logger: Logger;
  /** Parts not stored whole (over a size limit): the file fails naming them once everything else is stored. */
  refused: string[];
}

function problemMeta(el: XmlElement, label: string, reading: ExportReading): { invalid?: string } {
  if (!el.problem) return {};
  if (el.oversized) reading.refused.push(`${label} line ${el.line} (${el.name})`);
  return { invalid: `${label}: ${el.problem}` };
}

function decoding(el: XmlElement, label: string): { warning?: string } {
  return el.decodingWarning ? { warning: `${label} line ${el.line}: ${el.decodingWarning}` } : {};
}

function routeRefs(workout: XmlObject): string[] {
  const refs: string[] = [];
  for (const route of (workout.WorkoutRoute as XmlObject[] | undefined) ?? []) {
    for (const ref of (route.FileReference as XmlObject[] | undefined) ?? []) if (typeof ref.path === 'string') refs.push(ref.path);
  }
  return refs;
}

/**
 * Every element of an export.xml as records of the streams, in file order. A workout
 * whose route file is not in the export is stored with a warning naming the file.
 */
export async function* readExportXml(
  input: Readable,
  label: string,
  reading: ExportReading,
  where: { entry?: string; routeExists: (ref: string) => boolean },
): AsyncIterable<Emitted> {
  for await (const el of readXmlElements(input, label, 1)) {
    const metadata = where.entry ? { entry: where.entry, line: el.line } : { line: el.line };
    const stream = STREAM_OF[el.name];
    const problem = problemMeta(el, label, reading);
    if (stream) {
      let warning: string | undefined;
      if (el.name === 'Workout') {
        const missing = routeRefs(el.value).filter((ref) => !where.routeExists(ref));
        if (missing.length) {
          warning = `${label} line ${el.line}: the workout's route file ${missing.join(', ')} is missing from the export`;
          reading.logger.warn(warning);
        }
      }
      const warnings = [warning, el.decodingWarning && `${label} line ${el.line}: ${el.decodingWarning}`].filter(Boolean).join('; ');
      yield emit(el.value, { stream, metadata, ...problem, ...(warnings ? { warning: warnings } : {}) });
    } else if (el.name === 'ExportDate') {
      yield emit({ HealthData: el.root, ExportDate: el.value }, { stream: 'export_info', metadata, ...problem, ...decoding(el, label) });
    } else {
      yield emit({ element: el.name, value: el.value }, { stream: 'other_elements', metadata, ...problem, ...decoding(el, label) });
    }
  }
}

/** One GPX file of workout-routes/: one record, `{ file, gpx }`. */
export async function* readRoute(input: Readable, label: string, file: string, reading: ExportReading, metadata?: Record<string, unknown>): AsyncIterable<Emitted> {
  for await (const el of readXmlElements(input, label, 0)) {
    yield emit({ file, gpx: el.value }, { stream: 'workout_routes', metadata, ...problemMeta(el, label, reading), ...(el.problem ? { rawId: `file:${file}` } : {}) });
  }
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
  else if (part === 'cda') yield* readCda(await open(), label, metadata);
  else yield* readOtherFile(await open(), rel, metadata);
}
