import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { MAX_RAW_JSON_BYTES } from '../envelope/record-values.js';
import { utf8Text } from './bytes-as-text.js';

/** A file no stream parses (a photo, a PDF, a file an export adds later), described so it is never dropped. */
export interface DescribedFile {
  file: string;
  size: number;
  sha256: string;
  /** The content, when it is UTF-8 without NUL and at most `textBytes` long (any length with `whole`). */
  text?: string;
  /** With `whole`: the content of a file that is not such text. */
  base64?: string;
}

export interface DescribeOptions {
  /** Text up to this many bytes is kept (default 1 MiB). */
  textBytes?: number;
  /**
   * Keep the content whatever its bytes (text, else base64), up to a record's limit
   * (MAX_RAW_JSON_BYTES, 255 MB): for a file whose parse failed part-way, whose rows after the
   * damage exist only here. Holds the file in memory.
   */
  whole?: boolean;
}

function utf8(bytes: Buffer): string | undefined {
  return bytes.includes(0) ? undefined : utf8Text(bytes);
}

/**
 * Name, size and sha256 of a stream of any length (memory: one chunk plus `textBytes`),
 * with its text when it is small UTF-8: what file sources store for the entries of an export
 * that no stream parses.
 */
export async function describeFile(input: Readable, file: string, o: DescribeOptions = {}): Promise<DescribedFile> {
  // A file over a record's limit could not be stored whole anyway: not held in memory for nothing.
  const textBytes = o.whole ? MAX_RAW_JSON_BYTES : (o.textBytes ?? 1024 * 1024);
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = chunk as Buffer;
    hash.update(b);
    size += b.length;
    if (size <= textBytes) head.push(b);
  }
  const bytes = size <= textBytes ? Buffer.concat(head) : undefined;
  const text = bytes && utf8(bytes);
  const described: DescribedFile = { file, size, sha256: hash.digest('hex') };
  if (text !== undefined) described.text = text;
  else if (o.whole && bytes) described.base64 = bytes.toString('base64');
  return described;
}

/** True when the file starts with a zip local-file header (`PK\3\4`), whatever its name. */
export async function isZipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && head.readUInt32LE(0) === 0x04034b50;
  } finally {
    await fh.close();
  }
}
