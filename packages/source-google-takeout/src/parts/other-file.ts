import { createHash } from 'node:crypto';
import { emit, fileReaders, parseJsonPrecise, utf8Text, type Emitted, type FileReaders } from '@bronze/core';
import { where, type TakeoutFile } from './entry.js';
import { JsonOutline } from './json-outline.js';
import { splitLargeCsv, splitLargeJson } from './split-other.js';

/** Files up to this size keep their content in the `other` row (JSON parsed, text as text). */
export const CONTENT_BYTES = 16 * 1024 * 1024;

/** A file of the Takeout no other stream reads: `{ path, size, sha256, content? }`. */
export interface OtherFile {
  path: string;
  size: number;
  sha256: string;
  /** JSON files: the parsed document (numbers exact); any other file of UTF-8 text: the text. Up to 16 MiB of UTF-8 without NUL. */
  content?: unknown;
}

/**
 * The content an `other` row keeps: a `.json` file's parsed document (numbers exact), else
 * the text of any file that is UTF-8 without NUL, whatever its name says (a Blogger
 * `feed.atom`, an `.opml` or a README in Drive: by extension, such files kept only their
 * hash). Binary files (photos, videos, PDFs, zips) fail one test or the other and keep their
 * identity alone. The text is the bytes exactly (utf8Text keeps a byte order mark).
 */
function contentOf(path: string, head: Buffer): unknown {
  if (head.includes(0)) return undefined;
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

/**
 * Streams the file through sha256 (memory: one chunk, plus the content when it is kept):
 * nothing in the Takeout is dropped. A file over `contentBytes` that is JSON or CSV is read a
 * second time, record by record (split-other.ts), before its identity row `{ path, size,
 * sha256 }`; any other large file is that row alone. `contentBytes` is a parameter for tests
 * (a small limit on small real samples); the source always uses CONTENT_BYTES.
 */
export async function* readOtherFile(f: TakeoutFile, files: FileReaders = fileReaders, contentBytes = CONTENT_BYTES): AsyncIterable<Emitted> {
  const json = /\.json$/i.test(f.path);
  const csv = /\.(csv|tsv)$/i.test(f.path);
  // Learned on this read, needed only if the file turns out large: which arrays to split.
  const outline = json ? new JsonOutline() : undefined;
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let size = 0;
  for await (const chunk of await f.open()) {
    const buf = chunk as Buffer;
    hash.update(buf);
    outline?.feed(buf);
    size += buf.length;
    if (size <= contentBytes) kept.push(buf);
    else kept.length = 0;
  }
  const identity = { path: f.path, size, sha256: hash.digest('hex') };
  if (size <= contentBytes) {
    const content = contentOf(f.path, Buffer.concat(kept));
    const record: OtherFile = { ...identity, ...(content === undefined ? {} : { content }) };
    yield emit(record, { stream: 'other', metadata: where(f) });
    return;
  }
  let warning: string | undefined;
  if (outline) warning = yield* splitLargeJson(f, outline.result(), size, contentBytes);
  else if (csv) warning = yield* splitLargeCsv(f, files);
  yield emit(identity satisfies OtherFile, { stream: 'other', metadata: where(f), ...(warning === undefined ? {} : { warning }) });
}
