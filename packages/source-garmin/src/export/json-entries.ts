import { createHash } from 'node:crypto';
import { canonicalJson, emit, errorMessage, type ByteSource, type Emitted, type SourceContext } from '@bronze/core';
import type { FolderStream, KnownStream } from './export-kinds.js';
import { readCapped, type CappedBytes } from './capped-read.js';

/** Files above this size go to export_other without their content (with a warning). */
export const OTHER_CONTENT_LIMIT = 32 * 1024 * 1024;

export async function readAll(source: ByteSource): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await source.open()) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A known export file (summarized activities, sleep, UDS daily summaries), streamed one
 * element at a time. The summarized-activities file wraps its list as
 * `[{"summarizedActivitiesExport": [...]}]`: each activity becomes its own row.
 */
export async function* knownJsonRows(source: ByteSource, stream: KnownStream, kind: string, path: string, ctx: SourceContext): AsyncIterable<Emitted> {
  for await (const item of ctx.files.jsonDocument(source)) {
    const value = item.value as Record<string, unknown> | null;
    const wrapped = value && typeof value === 'object' && !Array.isArray(value) ? value.summarizedActivitiesExport : undefined;
    if (stream === 'export_activities' && Array.isArray(wrapped)) {
      for (let i = 0; i < wrapped.length; i++) {
        yield emit(wrapped[i], { stream, metadata: { entry: path, kind, jsonPath: `${item.path}.summarizedActivitiesExport[${i}]` } });
      }
      continue;
    }
    yield emit(item.value, { stream, metadata: { entry: path, kind, jsonPath: item.path } });
  }
}

/**
 * Any other JSON file of a known export folder: one row per element of a top-level array
 * (or one row for a document that is not an array). These kinds have no documented id, so
 * raw_id is the kind plus the element's content hash: a re-export of the same entries adds
 * nothing, a changed entry is a new row.
 */
export async function* folderJsonRows(source: ByteSource, stream: FolderStream, kind: string, path: string, ctx: SourceContext): AsyncIterable<Emitted> {
  const row = (value: unknown, jsonPath: string) => emit(value, { stream, rawId: `${kind}:${sha256(canonicalJson(value).text)}`, metadata: { entry: path, kind, jsonPath } });
  const rows = (value: unknown, jsonPath: string) => unwrapped(value, jsonPath).map(([v, p]) => row(v, p));
  if ((await firstByte(source)) === '[') {
    // A top-level array (most of these files) is streamed element by element: memory holds one.
    let count = 0;
    try {
      for await (const item of ctx.files.jsonDocument(source)) {
        count++;
        yield* rows(item.value, item.path);
      }
    } catch (err) {
      yield* otherRow(path, await readCapped(source, OTHER_CONTENT_LIMIT), `not valid JSON after ${count} entries: ${errorMessage(err).replace(`${path}: `, '')}`);
    }
    return;
  }
  const data = await readCapped(source, OTHER_CONTENT_LIMIT);
  if (!data.bytes) {
    yield* otherRow(path, data, `a JSON document of ${data.size} bytes that is not an array, over the ${OTHER_CONTENT_LIMIT}-byte limit bronze parses whole`);
    return;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(data.bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    yield* otherRow(path, data, `not valid JSON: ${errorMessage(err)}`);
    return;
  }
  yield* rows(doc, '$');
}

/**
 * Real exports wrap some lists in an object of one key: `[{"personalRecords": [...]}]` (like the
 * summarized activities). Stored as it comes, every record would share one row and one id, and a
 * change to one record would store all of them again; so each element of such a list is its own
 * row, at `<path>.<key>[i]` (as the summarized activities: `/0.personalRecords[3]`). An object with other keys (gear:
 * lists and a map side by side) or an empty list stays one row: nothing of the file is dropped.
 */
export function unwrapped(value: unknown, jsonPath: string): [unknown, string][] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [[value, jsonPath]];
  const keys = Object.keys(value);
  const list = keys.length === 1 ? (value as Record<string, unknown>)[keys[0]] : undefined;
  // Only a list of objects is records; a list of values (`{"tags": ["a"]}`) stays one row.
  if (!Array.isArray(list) || list.length === 0 || !list.every((e) => e && typeof e === 'object' && !Array.isArray(e))) return [[value, jsonPath]];
  return list.map((element, i) => [element, `${jsonPath}.${keys[0]}[${i}]`]);
}

/** The first non-blank character of a source (BOM skipped), read from its start only. */
async function firstByte(source: ByteSource): Promise<string | undefined> {
  const stream = await source.open();
  try {
    for await (const chunk of stream) {
      const text = (chunk as Buffer).toString('utf8').replace(/^\uFEFF/, '').trimStart();
      if (text) return text[0];
    }
    return undefined;
  } finally {
    stream.destroy();
  }
}

export interface OtherFileRow {
  path: string;
  size: number;
  sha256: string;
  format: 'json' | 'text' | 'binary';
  /** Parsed JSON, UTF-8 text, or base64 bytes; absent above OTHER_CONTENT_LIMIT. */
  content?: unknown;
}

function isText(buf: Buffer): boolean {
  if (buf.includes(0)) return false;
  return Buffer.from(buf.toString('utf8'), 'utf8').equals(buf);
}

/**
 * raw_id of a file given on its own (`--file x.json`, not inside an export zip): its name
 * plus the sha256 of its bytes. A later file of the same name with other content is another
 * record, never a "version" of an unrelated earlier one; the same bytes again add nothing.
 * (An entry of an export zip keeps its path in the export as raw_id: the next export's
 * entry at that path is the same file, revised.)
 */
export function standaloneFileId(name: string, data: CappedBytes): string {
  return `${name}#sha256:${data.sha256}`;
}

/** A file bronze has no reader for: kept whole under its path, never skipped. */
export function* otherRow(path: string, data: CappedBytes, invalid?: string, o: { rawId?: string; unrecognised?: string } = {}): Iterable<Emitted> {
  const row: OtherFileRow = { path, size: data.size, sha256: data.sha256, format: 'binary' };
  const buf = data.bytes;
  let warning: string | undefined;
  if (!buf || buf.length > OTHER_CONTENT_LIMIT) {
    warning = `${path}: ${data.size} bytes, over the ${OTHER_CONTENT_LIMIT}-byte limit for unknown files: content not stored (path, size and sha256 are)`;
  } else if (isText(buf)) {
    const text = buf.toString('utf8');
    row.format = 'text';
    row.content = text;
    if (/\.json$/i.test(path) && !invalid) {
      try {
        row.content = JSON.parse(text.replace(/^\uFEFF/, ''));
        row.format = 'json';
      } catch {
        // Not JSON after all: kept as text.
      }
    }
  } else {
    row.content = buf.toString('base64');
  }
  yield emit(row, { stream: 'export_other', ...(o.rawId ? { rawId: o.rawId } : {}), metadata: { entry: path }, ...(invalid ? { invalid: `${path}: ${invalid}` } : {}), ...(warning ? { warning } : {}), ...(o.unrecognised ? { unrecognised: o.unrecognised } : {}) });
}
