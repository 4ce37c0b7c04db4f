import { Type } from '@bronze/core';

/**
 * Apple's local time with its UTC offset, `2019-08-11 10:09:57 -0700`, or the compact
 * `20150604061200+0100` iOS 8 exports (2014–2015) wrote.
 */
export const AppleDate = Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}|\\d{14}[+-]\\d{4})$' });

/**
 * The app that wrote a sample: `sourceName`, or `source` in iOS 8 exports. Either may be
 * absent to the schema (a record is not refused for it); the id covers whichever is there.
 */
export const SampleSource = { sourceName: Type.Optional(Type.String()), source: Type.Optional(Type.String()) };

/** `<MetadataEntry key="…" value="…"/>`, kept as written. */
export const MetadataEntries = Type.Array(Type.Object({ key: Type.String(), value: Type.String() }, { additionalProperties: true }));

/** Child elements Apple may add in later versions: kept, never refused. */
export const open = { additionalProperties: true } as const;
