import { createHash } from 'node:crypto';
import { emit, parseJsonPrecise, utf8Text, type Emitted } from '@bronze/core';
import { where, type TakeoutFile } from './entry.js';

/** Files up to this size keep their content in the `other` row (JSON parsed, text as text). */
export const CONTENT_BYTES = 16 * 1024 * 1024;

const TEXT = /\.(csv|tsv|txt|json|html?|xml|vcf|ics|kml|gpx|tcx|md|mbox|eml)$/i;

/** A file of the Takeout no other stream reads: `{ path, size, sha256, content? }`. */
export interface OtherFile {
  path: string;
  size: number;
  sha256: string;
  /** JSON files: the parsed document (numbers exact); other text files: the text. Up to 16 MiB of UTF-8 without NUL. */
  content?: unknown;
}

function contentOf(path: string, head: Buffer): unknown {
  if (!TEXT.test(path) || head.includes(0)) return undefined;
  const text = utf8Text(head);
  if (text === undefined) return undefined;
  if (/\.json$/i.test(path)) {
    try {
      // The byte order mark is the encoding's, not the document's (the text case keeps it).
      return parseJsonPrecise(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return text; // not valid JSON: kept as the text it is
    }
  }
  return text;
}

/** Streams the file through sha256 (memory: one chunk, plus the content when it is kept): nothing in the Takeout is dropped. */
export async function* readOtherFile(f: TakeoutFile): AsyncIterable<Emitted> {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of await f.open()) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
    if (size <= CONTENT_BYTES) kept.push(buf);
    else kept.length = 0;
  }
  const content = size <= CONTENT_BYTES ? contentOf(f.path, Buffer.concat(kept)) : undefined;
  const record: OtherFile = { path: f.path, size, sha256: hash.digest('hex'), ...(content === undefined ? {} : { content }) };
  yield emit(record, { stream: 'other', metadata: where(f) });
}
