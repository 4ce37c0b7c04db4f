import { Type } from '@sinclair/typebox';
import { defineStream } from '@bronze/core';
import { parseAppleDate } from '../apple-date.js';
import { attributeId, withoutDeviceAddress } from '../identity.js';
import type { XmlObject } from '../xml/elements.js';
import { RecordSchema } from './records.js';
import { AppleDate, MetadataEntries, open } from './schema-parts.js';

export const CORRELATION_ID_ATTRIBUTES = ['type', 'sourceName', 'creationDate', 'startDate', 'endDate'] as const;

export const CorrelationSchema = Type.Object(
  {
    type: Type.String({ minLength: 1 }),
    sourceName: Type.String(),
    startDate: AppleDate,
    endDate: AppleDate,
    creationDate: Type.Optional(AppleDate),
    MetadataEntry: Type.Optional(MetadataEntries),
    Record: Type.Optional(Type.Array(RecordSchema)),
  },
  open,
);

/** `<Correlation>` (blood pressure, food) with its nested `<Record>`s kept inside it. */
export const correlations = defineStream<XmlObject>({
  name: 'correlations',
  schema: CorrelationSchema,
  id: (c) => attributeId(c, CORRELATION_ID_ATTRIBUTES),
  hashInput: withoutDeviceAddress,
  timestamp: (c) => parseAppleDate(c.startDate as string | undefined),
});
