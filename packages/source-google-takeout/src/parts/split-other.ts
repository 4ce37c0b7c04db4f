import { canonicalJson, emit, FileImportError, readJsonArrays, sha256Hex, type Emitted, type FileReaders } from '@bronze/core';
import { byteSource, where, type TakeoutFile } from './entry.js';
import { MAX_SPLIT_KEYS, type JsonOutlineResult } from './json-outline.js';

/**
 * An `other` file too large to keep whole, read again record by record so its data reaches
 * the database: JSON split at its arrays, CSV at its rows. Returns why the file was not read
 * whole (a warning for its identity row), or undefined.
 *
 * raw_ids are content hashes, never positions: a later export of the same account holds the
 * same elements at other indexes (new entries first), and must map each to the same id.
 * An element repeated in one file is numbered by core (`<id>#2`, docs/file-imports.md).
 */
const contentId = (path: string, value: unknown, key?: string) =>
  `${path}|${key === undefined ? '' : `${key}|`}sha256:${sha256Hex(canonicalJson(value).text)}`;

export async function* splitLargeJson(f: TakeoutFile, outline: JsonOutlineResult, size: number, restLimit: number): AsyncGenerator<Emitted, string | undefined> {
  // The splitter holds the rest document whole: split only when it is small (the same bound as `content`).
  const rest = size - outline.arrayBytes;
  if (outline.keys.length > MAX_SPLIT_KEYS) return `not split: more than ${MAX_SPLIT_KEYS} top-level members hold arrays; kept as path, size and sha256`;
  if (rest > restLimit) {
    return `not split: ${rest} bytes of it are outside the arrays of its top level (the top-level array, or arrays that are members of the top-level object), over the ${restLimit} bytes read whole; kept as path, size and sha256`;
  }
  try {
    for await (const item of readJsonArrays(byteSource(f), { keys: outline.keys, encoding: 'utf-8' })) {
      if (item.role === 'rest') {
        yield emit({ path: f.path, rest: item.value }, { stream: 'other', metadata: where(f, { role: 'rest' }), rawId: `rest:${f.path}` });
        continue;
      }
      const key = item.key ?? null;
      const metadata = where(f, { index: item.index, ...(item.key === undefined ? {} : { key: item.key }) });
      yield emit({ path: f.path, key, element: item.value }, { stream: 'other', metadata, rawId: contentId(f.path, item.value, item.key) });
    }
  } catch (err) {
    // Read whole once already (its hash): the error is in the JSON. Its records before the damage are stored.
    if (err instanceof FileImportError) return `split up to a damage: ${err.message}`;
    throw err;
  }
  return undefined;
}

export async function* splitLargeCsv(f: TakeoutFile, files: FileReaders): AsyncGenerator<Emitted, string | undefined> {
  const tsv = /\.tsv$/i.test(f.path);
  try {
    // A header naming a column twice is numbered, not refused: nobody chose this file's layout.
    for await (const r of files.csv(byteSource(f), { repeatedColumns: 'number', ...(tsv ? { delimiter: 'tab' } : {}) })) {
      const metadata = where(f, { line: r.line });
      if (r.preamble) yield emit({ path: f.path, preamble: r.preamble }, { stream: 'other', metadata, rawId: `preamble:${f.path}` });
      else if (r.row) yield emit({ path: f.path, row: r.row }, { stream: 'other', metadata, rawId: contentId(f.path, r.row) });
      // A row of another width than the header: its fields as read, flagged (the data is not wrong, only unnamed).
      else yield emit({ path: f.path, fields: r.fields }, { stream: 'other', metadata, rawId: contentId(f.path, r.fields), warning: r.error ?? 'not a row of the table' });
    }
  } catch (err) {
    if (err instanceof FileImportError) return `split up to a damage: ${err.message}`;
    throw err;
  }
  return undefined;
}
