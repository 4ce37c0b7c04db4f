import { createHash } from 'node:crypto';
import { canonicalJson, emit, errorMessage, type ByteSource, type Emitted, type SourceContext } from '@bronze/core';
import type { FolderStream, KnownStream } from './export-kinds.js';

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
export async function* folderJsonRows(source: ByteSource, stream: FolderStream, kind: string, path: string): AsyncIterable<Emitted> {
  const buf = await readAll(source);
  let doc: unknown;
  try {
    doc = JSON.parse(buf.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (err) {
    yield* otherRow(path, buf, `not valid JSON: ${errorMessage(err)}`);
    return;
  }
  const items = Array.isArray(doc) ? doc : [doc];
  for (let i = 0; i < items.length; i++) {
    const rawId = `${kind}:${sha256(canonicalJson(items[i]).text)}`;
    yield emit(items[i], { stream, rawId, metadata: { entry: path, kind, jsonPath: Array.isArray(doc) ? `$[${i}]` : '$' } });
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

/** A file bronze has no reader for: kept whole under its path, never skipped. */
export function* otherRow(path: string, buf: Buffer, invalid?: string): Iterable<Emitted> {
  const row: OtherFileRow = { path, size: buf.length, sha256: sha256(buf), format: 'binary' };
  let warning: string | undefined;
  if (buf.length > OTHER_CONTENT_LIMIT) {
    warning = `${path}: ${buf.length} bytes, over the ${OTHER_CONTENT_LIMIT}-byte limit for unknown files: content not stored (path, size and sha256 are)`;
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
  yield emit(row, { stream: 'export_other', metadata: { entry: path }, ...(invalid ? { invalid: `${path}: ${invalid}` } : {}), ...(warning ? { warning } : {}) });
}
