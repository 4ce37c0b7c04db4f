import { defineStream, unwrapIdView, type Stream, type TSchema } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import { elementId, withoutDeviceAddressText } from '../identity.js';
import type { XmlObject } from '../xml/elements.js';

/**
 * A stream of dated HealthKit elements (Record, Workout, Correlation): raw_id from the
 * whole element (the named attributes first, see elementId), record_hash without the
 * per-export device address, source_timestamp from startDate.
 */
export function elementStream(name: string, schema: TSchema, idAttributes: readonly string[]): Stream<XmlObject> {
  return defineStream<XmlObject>({
    name,
    schema,
    // elementId serializes the whole element on purpose: no proxy per object it reads.
    id: (e) => elementId(unwrapIdView(e), idAttributes),
    hashText: withoutDeviceAddressText,
    timestamp: (e) => parseAppleDate(e.startDate as string | undefined),
  });
}
