import { defineStream, Type } from '@bronze/core';
import type { OtherFileRow } from '../export/json-entries.js';

/** Files of the export bronze has no reader for: one row per file, keyed by its path. */
export const exportOther = defineStream<OtherFileRow>({
  name: 'export_other',
  schema: Type.Object({
    path: Type.String({ minLength: 1 }),
    size: Type.Integer({ minimum: 0 }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    format: Type.Union([Type.Literal('json'), Type.Literal('text'), Type.Literal('binary')]),
    content: Type.Optional(Type.Unknown()),
  }),
  id: (f) => f.path,
});
