import { Type } from '@bronze/core';

/** Apple's local time with its UTC offset, `2019-08-11 10:09:57 -0700`. */
export const AppleDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} [+-]\\d{4}$' });

/** `<MetadataEntry key="…" value="…"/>`, kept as written. */
export const MetadataEntries = Type.Array(Type.Object({ key: Type.String(), value: Type.String() }, { additionalProperties: true }));

/** Child elements Apple may add in later versions: kept, never refused. */
export const open = { additionalProperties: true } as const;
