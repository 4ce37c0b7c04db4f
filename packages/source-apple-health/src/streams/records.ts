import { Type } from '@bronze/core';
import { elementStream } from './element-stream.js';
import { AppleDate, MetadataEntries, open, SampleSource } from './schema-parts.js';

/** Attributes that identify a `<Record>` across re-exports (see identity.ts). */
export const RECORD_ID_ATTRIBUTES = ['type', 'sourceName', 'creationDate', 'startDate', 'endDate', 'value', 'unit'] as const;

export const RecordSchema = Type.Object(
  {
    type: Type.String({ minLength: 1 }),
    ...SampleSource,
    startDate: AppleDate,
    endDate: AppleDate,
    creationDate: Type.Optional(AppleDate),
    sourceVersion: Type.Optional(Type.String()),
    device: Type.Optional(Type.String()),
    unit: Type.Optional(Type.String()),
    value: Type.Optional(Type.String()),
    MetadataEntry: Type.Optional(MetadataEntries),
    HeartRateVariabilityMetadataList: Type.Optional(
      Type.Array(Type.Object({ InstantaneousBeatsPerMinute: Type.Optional(Type.Array(Type.Object({ bpm: Type.String(), time: Type.String() }, open))) }, open)),
    ),
  },
  open,
);

/** `<Record>`: one HealthKit sample, with its metadata and HRV beat-to-beat children. */
export const records = elementStream('records', RecordSchema, RECORD_ID_ATTRIBUTES);
