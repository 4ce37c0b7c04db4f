import type { Readable } from 'node:stream';
import { emit, textOrBase64, type Emitted } from '@bronze/core';
import { problemMeta, type ExportReading } from '../export-reading.js';
import { DamageKept, XmlDamage } from '../xml/damage.js';
import { readXmlElements } from '../xml/elements.js';
import { readWhole } from './read-bytes.js';

/**
 * One GPX file of workout-routes/: one record, `{ file, gpx }`. A route whose XML breaks
 * (a file cut short) is stored `invalid` as `{ file, gpx, text }`: the points read before
 * the damage and the file's whole text (base64 when it is not UTF-8), then DamageKept is
 * thrown for the export to name. Routes are read whole anyway (at most MAX_ENTRY_BYTES).
 */
export async function* readRoute(input: Readable, label: string, file: string, reading: ExportReading, metadata?: Record<string, unknown>): AsyncIterable<Emitted> {
  const bytes = await readWhole(input, label);
  try {
    for await (const el of readXmlElements([bytes], label, { containers: 0, readAgain: () => [bytes] })) {
      const warning = el.warning && !el.problem ? { warning: `${label}: ${el.warning}` } : {};
      yield emit({ file, gpx: el.value }, { stream: 'workout_routes', metadata, ...problemMeta(el, label, reading), ...warning, ...(el.problem ? { rawId: `file:${file}` } : {}) });
    }
  } catch (err) {
    if (!(err instanceof XmlDamage)) throw err;
    const gpx = err.damage.partial?.value ?? {};
    const why = `${err.message}; stored with the points read before the damage and the file's whole text`;
    yield emit({ file, gpx, ...textOrBase64(bytes) }, { stream: 'workout_routes', metadata, invalid: why, rawId: `file:${file}` });
    throw new DamageKept(err);
  }
}
