import { defineStream, Type } from '@bronze/core';
import { parseIsoInstant } from '../iso-instant.js';
import type { XmlObject } from '../xml-document.js';

const first = (v: unknown): XmlObject | undefined => (Array.isArray(v) ? (v[0] as XmlObject | undefined) : undefined);
const text = (el: XmlObject | undefined): string | undefined => (typeof el?.['#text'] === 'string' ? el['#text'] : undefined);

// Strict xsd:dateTime, UTC when no offset is written: see iso-instant.ts for what `new Date` got wrong.
const instant = parseIsoInstant;

/** GPX: `<metadata><time>` (1.1), `<time>` (1.0), else the first track point's time. */
export function gpxTime(gpx: XmlObject): Date | undefined {
  const at = text(first(first(gpx.metadata)?.time)) ?? text(first(gpx.time));
  if (at) return instant(at);
  const point = first(first(first(gpx.trk)?.trkseg)?.trkpt);
  return instant(text(first(point?.time)));
}

/** TCX: the first activity's `<Id>` (its start time), else its first lap's StartTime. */
export function tcxTime(tcx: XmlObject): Date | undefined {
  const activity = first(first(tcx.Activities)?.Activity);
  const lap = first(activity?.Lap);
  return instant(text(first(activity?.Id)) ?? (typeof lap?.StartTime === 'string' ? lap.StartTime : undefined));
}

const element = Type.Object({}, { additionalProperties: true });

/** One row per GPX file: `{ gpx: <the <gpx> element as JSON> }`. raw_id: the activity id, else `file:<path>`. */
export const gpxFiles = defineStream<{ gpx: XmlObject }>({
  name: 'gpx_files',
  schema: Type.Object({ gpx: element }),
  id: () => {
    throw new Error('gpx_files rows get their raw_id from the reader');
  },
  timestamp: (r) => (r.gpx ? gpxTime(r.gpx) : undefined),
});

/** One row per TCX file: `{ TrainingCenterDatabase: … }`. raw_id: the activity id, else `file:<path>`. */
export const tcxFiles = defineStream<{ TrainingCenterDatabase: XmlObject }>({
  name: 'tcx_files',
  schema: Type.Object({ TrainingCenterDatabase: element }),
  id: () => {
    throw new Error('tcx_files rows get their raw_id from the reader');
  },
  timestamp: (r) => (r.TrainingCenterDatabase ? tcxTime(r.TrainingCenterDatabase) : undefined),
});
