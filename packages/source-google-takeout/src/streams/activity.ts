import { defineStream, Type, type Stream } from '@bronze/core';
import { ACTIVITY_PRODUCTS, slug } from '../layout.js';
import { htmlTime, instantKey, isoInstant, type TimeZones } from '../time.js';
import { composedId, open, part } from './open-object.js';

type Activity = { time?: string; titleUrl?: string; title?: string; [k: string]: unknown };

/**
 * An activity list: My Activity of one product, YouTube's watch or search history. One row
 * per entry, as written (HTML pages parsed to the same fields, `time` as the page's text).
 * raw_id: time, titleUrl, title; the same entry twice keeps its count (`#2`). source_timestamp:
 * the JSON's ISO time, or the page's English time read with the zones the user gave
 * (--time-zone); raw_id holds a page's time as written, so it does not depend on them.
 */
export function activityStream(name: string, zones?: TimeZones): Stream<Activity> {
  return defineStream<Activity>({
    name,
    schema: Type.Object({ header: Type.Optional(Type.String()), title: Type.String(), time: Type.String(), titleUrl: Type.Optional(Type.String()) }, open),
    id: (a) => composedId([a.time, a.titleUrl, a.title], () => `${instantKey(isoInstant(a.time), a.time)}|${part(a.titleUrl)}|${part(a.title)}`),
    timestamp: (a) => isoInstant(a.time) ?? htmlTime(a.time, zones),
  });
}

export const activityStreams = (zones?: TimeZones): Stream[] => [
  ...ACTIVITY_PRODUCTS.map((p) => activityStream(`my_activity_${slug(p)}`, zones)),
  activityStream('my_activity_other', zones),
  activityStream('youtube_watch_history', zones),
  activityStream('youtube_search_history', zones),
];
