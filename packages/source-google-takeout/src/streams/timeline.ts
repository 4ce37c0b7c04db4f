import { defineStream, Type } from '@bronze/core';
import { instantKey, isoInstant } from '../time.js';
import { at, open, part } from './open-object.js';

type Json = Record<string, unknown>;

const segmentKind = (s: Json) => ['visit', 'activity', 'timelinePath', 'timelineMemory'].find((k) => s[k] !== undefined) ?? Object.keys(s).find((k) => !/Time/.test(k)) ?? '';

/**
 * The on-device Timeline export (`Timeline.json`, `semanticSegments[]`) and the iOS
 * `location-history.json` (a top-level array of the same segments). raw_id: kind, start, end.
 */
export const timelineSegments = defineStream<Json>({
  name: 'timeline_segments',
  schema: Type.Object({ startTime: Type.Optional(Type.String()), endTime: Type.Optional(Type.String()) }, open),
  id: (s) => `${segmentKind(s)}|${instantKey(isoInstant(s.startTime), s.startTime)}|${instantKey(isoInstant(s.endTime), s.endTime)}`,
  timestamp: (s) => isoInstant(s.startTime),
});

const signalKind = (s: Json) => Object.keys(s)[0] ?? '';
const signalTime = (s: Json) => {
  const inner = s[signalKind(s)];
  return at(inner, 'timestamp') ?? at(inner, 'deliveryTime') ?? s.timestamp;
};

/** `Timeline.json`'s `rawSignals[]` (position, activityRecord, wifiScan). raw_id: kind, instant, and a position's LatLng. */
export const timelineRawSignals = defineStream<Json>({
  name: 'timeline_raw_signals',
  schema: Type.Object({}, open),
  id: (s) => {
    const kind = signalKind(s);
    const latLng = at(s, kind, 'LatLng') ?? at(s, kind, 'latLng');
    return `${kind}|${instantKey(isoInstant(signalTime(s)), signalTime(s))}${latLng === undefined ? '' : `|${part(latLng)}`}`;
  },
  timestamp: (s) => isoInstant(signalTime(s)),
});

/** Everything else of `Timeline.json` (`userLocationProfile`…): `{ path, rest }`. raw_id: `rest:<path>`. */
export const timelineProfile = defineStream<Json>({
  name: 'timeline_profile',
  schema: Type.Object({ path: Type.String(), rest: Type.Unknown() }, open),
  id: (r) => `rest:${part(r.path)}`,
});
