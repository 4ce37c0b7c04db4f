import { Type } from '@bronze/core';
import { RecordSchema } from './records.js';
import { elementStream } from './element-stream.js';
import { AppleDate, MetadataEntries, open, SampleSource } from './schema-parts.js';

export const CORRELATION_ID_ATTRIBUTES = ['type', 'sourceName', 'creationDate', 'startDate', 'endDate'] as const;

export const CorrelationSchema = Type.Object(
  {
    type: Type.String({ minLength: 1 }),
    ...SampleSource,
    startDate: AppleDate,
    endDate: AppleDate,
    creationDate: Type.Optional(AppleDate),
    MetadataEntry: Type.Optional(MetadataEntries),
    Record: Type.Optional(Type.Array(RecordSchema)),
  },
  open,
);

/** `<Correlation>` (blood pressure, food) with its nested `<Record>`s kept inside it. */
export const correlations = elementStream('correlations', CorrelationSchema, CORRELATION_ID_ATTRIBUTES);
