import { defineStream, type Stream, type TSchema } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import { attributeId, withoutDeviceAddress } from '../identity.js';
import type { XmlObject } from '../xml/elements.js';

/**
 * A stream of dated HealthKit elements (Record, Workout, Correlation): raw_id from the
 * attributes Apple keeps across re-exports, record_hash without the per-export device
 * address, source_timestamp from startDate.
 */
export function elementStream(name: string, schema: TSchema, idAttributes: readonly string[]): Stream<XmlObject> {
  return defineStream<XmlObject>({
    name,
    schema,
    id: (e) => attributeId(e, idAttributes),
    hashInput: withoutDeviceAddress,
    timestamp: (e) => parseAppleDate(e.startDate as string | undefined),
  });
}
