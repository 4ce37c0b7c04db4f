import type { Readable } from 'node:stream';
import { emit, utf8Text, type Emitted } from '@bronze/core';
import { digest } from './read-bytes.js';

/** Files up to this size that are UTF-8 text are stored with their content. */
export const TEXT_BYTES = 64 * 1024;

/** A file of the export no other stream takes (a PDF, a new folder Apple adds): its path, size, sha256, and its text when small. */
export interface OtherFile {
  file: string;
  size: number;
  sha256: string;
  /** The content, when it is UTF-8 text without NUL of at most 64 KiB. */
  text?: string;
}

function smallText(head: Buffer, size: number): string | undefined {
  if (size > TEXT_BYTES || head.includes(0)) return undefined;
  return utf8Text(head);
}

/** Streams the file through sha256 (any size, memory one chunk): nothing in the export is dropped, even what no stream reads. */
export async function* readOtherFile(input: Readable, file: string, metadata: Record<string, unknown>): AsyncIterable<Emitted> {
  const { size, sha256, head } = await digest(input, TEXT_BYTES + 1);
  const text = smallText(head, size);
  const record: OtherFile = text === undefined ? { file, size, sha256 } : { file, size, sha256, text };
  yield emit(record, { stream: 'other_files', metadata });
}
