import { defineStream, Type, type Stream } from '@bronze/core';
import { ACTIVITY_PRODUCTS, slug } from '../layout.js';
import { htmlInstant, instantKey, isoInstant } from '../time.js';
import { composedId, open, part } from './open-object.js';

type Activity = { time?: string; titleUrl?: string; title?: string; [k: string]: unknown };

const activityTime = (a: Activity) => isoInstant(a.time) ?? htmlInstant(a.time);

/**
 * An activity list: My Activity of one product, YouTube's watch or search history. One row
 * per entry, as written (HTML pages parsed to the same fields, `time` as the page's text).
 * raw_id: time, titleUrl, title; the same entry twice keeps its count (`#2`).
 */
export function activityStream(name: string): Stream<Activity> {
  return defineStream<Activity>({
    name,
    schema: Type.Object({ header: Type.Optional(Type.String()), title: Type.String(), time: Type.String(), titleUrl: Type.Optional(Type.String()) }, open),
    id: (a) => composedId([a.time, a.titleUrl, a.title], () => `${instantKey(isoInstant(a.time), a.time)}|${part(a.titleUrl)}|${part(a.title)}`),
    timestamp: activityTime,
  });
}

export const activityStreams: Stream[] = [
  ...ACTIVITY_PRODUCTS.map((p) => activityStream(`my_activity_${slug(p)}`)),
  activityStream('my_activity_other'),
  activityStream('youtube_watch_history'),
  activityStream('youtube_search_history'),
];
