import { defineStream, Type } from '@bronze/core';
import { epochMs, instantKey, isoInstant } from '../time.js';
import { at, open, part } from './open-object.js';

type TimelineObject = Record<string, unknown>;

/** `placeVisit` or `activitySegment` (or whatever Google adds): the object's one key. */
const kindOf = (o: TimelineObject) => (o.placeVisit ? 'placeVisit' : o.activitySegment ? 'activitySegment' : Object.keys(o)[0] ?? '');
const durationAt = (o: TimelineObject, edge: 'start' | 'end') => {
  const d = at(o, kindOf(o), 'duration');
  return { raw: at(d, `${edge}Timestamp`) ?? at(d, `${edge}TimestampMs`), time: isoInstant(at(d, `${edge}Timestamp`)) ?? epochMs(at(d, `${edge}TimestampMs`)) };
};

/**
 * `Semantic Location History/YYYY/YYYY_MONTH.json`: one row per element of
 * `timelineObjects`, as written. raw_id: kind, start, end, and the place (placeId, else
 * its E7 coordinates) of a visit; Google revises visits in later exports, so a changed
 * visit becomes a new version of the same id.
 */
export const semanticLocationHistory = defineStream<TimelineObject>({
  name: 'semantic_location_history',
  schema: Type.Object({ placeVisit: Type.Optional(Type.Object({}, open)), activitySegment: Type.Optional(Type.Object({}, open)) }, open),
  id: (o) => {
    const kind = kindOf(o);
    const start = durationAt(o, 'start');
    const end = durationAt(o, 'end');
    const loc = at(o, kind, 'location');
    const place = kind === 'placeVisit' ? `|${part(at(loc, 'placeId') ?? `${part(at(loc, 'latitudeE7'))},${part(at(loc, 'longitudeE7'))}`)}` : '';
    return `${kind}|${instantKey(start.time, start.raw)}|${instantKey(end.time, end.raw)}${place}`;
  },
  timestamp: (o) => durationAt(o, 'start').time,
});
