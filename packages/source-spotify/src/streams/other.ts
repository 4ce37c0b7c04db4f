import { defineStream, Type, type DescribedFile } from '@bronze/core';

/** A JSON value from a file Spotify's exports do not have: the file's name, where in it, the value. */
export interface OtherJson {
  file: string;
  path: string;
  value: unknown;
}

/** A file that is not JSON (Read_Me_First.pdf, an image): name, size, sha256, text when UTF-8 ≤ 1 MiB. */
export type OtherFile = DescribedFile;

/**
 * Everything in a Spotify zip (or given with --file) that is not a known Spotify file:
 * never dropped. A JSON file gives one row per element of a top-level array, or one for the
 * whole document (`path` is the JSON Pointer, '' for the document); any other file one
 * `OtherFile` row. raw_id: `<file name><path>` (`notes.json`, `notes.json/3`).
 */
export const other = defineStream<OtherJson | OtherFile>({
  name: 'other',
  schema: Type.Union([
    Type.Object({ file: Type.String(), path: Type.String(), value: Type.Unknown() }),
    Type.Object({ file: Type.String(), size: Type.Integer({ minimum: 0 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), text: Type.Optional(Type.String()) }),
  ]),
  id: (r) => ('path' in r ? `${r.file}${r.path}` : r.file),
});
