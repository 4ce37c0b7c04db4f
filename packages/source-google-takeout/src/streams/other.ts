import { defineStream, Type } from '@bronze/core';
import { open } from './open-object.js';

/**
 * Every file no other stream reads (`{ path, size, sha256, content? }`), and what the
 * other readers find beside their records: the rest of a JSON document (`{ path, rest }`),
 * a CSV's lines above its header (`{ path, preamble }`). A JSON or CSV file too large for
 * `content` also gives its records (`{ path, key, element }`, `{ path, row }`, `{ path, fields }`:
 * parts/split-other.ts). raw_id: the path (`rest:`/`preamble:` + path); a split record's is
 * given by its reader (`<path>|[<key>|]sha256:<hash>`).
 */
export const other = defineStream<Record<string, unknown>>({
  name: 'other',
  schema: Type.Object(
    {
      path: Type.String(),
      size: Type.Optional(Type.Integer({ minimum: 0 })),
      sha256: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
      content: Type.Optional(Type.Unknown()),
      rest: Type.Optional(Type.Unknown()),
      preamble: Type.Optional(Type.Array(Type.String())),
      key: Type.Optional(Type.Union([Type.String(), Type.Null()])),
      element: Type.Optional(Type.Unknown()),
      row: Type.Optional(Type.Record(Type.String(), Type.String())),
      fields: Type.Optional(Type.Array(Type.String())),
    },
    open,
  ),
  id: (r) => String(r.path),
});
