import { defineStream, Type } from '@bronze/core';
import { createHash } from 'node:crypto';
import type { XmlObject } from '../xml/elements.js';

/** One GPX file of the export's workout-routes/ folder: its path and its `<gpx>` element whole. */
export interface WorkoutRoute {
  /** Path inside the export as `<FileReference path>` names it, e.g. `/workout-routes/route_2019-08-11_10.09am.gpx`. */
  file: string;
  gpx: XmlObject;
}

export const WorkoutRouteSchema = Type.Object({
  file: Type.String(),
  gpx: Type.Object({ trk: Type.Optional(Type.Array(Type.Object({}, { additionalProperties: true }))) }, { additionalProperties: true }),
});

function pointTimes(route: WorkoutRoute): { first?: string; last?: string } {
  let first: string | undefined;
  let last: string | undefined;
  for (const trk of (route.gpx.trk as XmlObject[] | undefined) ?? []) {
    for (const seg of (trk.trkseg as XmlObject[] | undefined) ?? []) {
      for (const pt of (seg.trkpt as XmlObject[] | undefined) ?? []) {
        const time = (pt.time as XmlObject[] | undefined)?.[0]?.['#text'];
        if (typeof time !== 'string') continue;
        first ??= time;
        last = time;
      }
    }
  }
  return { first, last };
}

/**
 * raw_id: the first 32 hex digits of sha256(first point's time, U+001F, last point's
 * time): the route's own span, whatever the export names the file. A route with no
 * timed point is identified by its file name.
 */
export const workoutRoutes = defineStream<WorkoutRoute>({
  name: 'workout_routes',
  schema: WorkoutRouteSchema,
  id: (r) => {
    const { first, last } = pointTimes(r);
    if (!first) return `file:${r.file}`;
    return createHash('sha256').update(`${first}\u001f${last}`).digest('hex').slice(0, 32);
  },
  timestamp: (r) => {
    const { first } = pointTimes(r);
    return first ? new Date(first) : undefined;
  },
});
