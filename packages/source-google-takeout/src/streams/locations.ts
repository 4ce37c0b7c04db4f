import { defineStream, Type } from '@bronze/core';
import { epochMs, instantKey, isoInstant } from '../time.js';
import { open, part } from './open-object.js';

export interface Location {
  timestamp?: string;
  timestampMs?: string;
  latitudeE7?: number;
  longitudeE7?: number;
  [k: string]: unknown;
}

/** Newer exports write `timestamp` (ISO), older ones `timestampMs` (epoch ms as a string). */
export const locationTime = (l: Location) => isoInstant(l.timestamp) ?? epochMs(l.timestampMs);

/**
 * `Location History/Records.json`: one row per element of `locations[]`, as written.
 * raw_id: the instant (one spelling for both timestamp forms), latitudeE7, longitudeE7.
 */
export const locations = defineStream<Location>({
  name: 'locations',
  schema: Type.Object(
    {
      timestamp: Type.Optional(Type.String()),
      timestampMs: Type.Optional(Type.String({ pattern: '^-?\\d+$' })),
      latitudeE7: Type.Optional(Type.Number()),
      longitudeE7: Type.Optional(Type.Number()),
      activity: Type.Optional(Type.Array(Type.Unknown())),
    },
    open,
  ),
  id: (l) => `${instantKey(locationTime(l), l.timestamp ?? l.timestampMs)}|${part(l.latitudeE7)}|${part(l.longitudeE7)}`,
  timestamp: locationTime,
});
