import { createHash } from 'node:crypto';
import type { ByteSource } from '@bronze/core';

/** A file or zip entry read through once: its size and sha256, and its bytes when they fit the limit. */
export interface CappedBytes {
  size: number;
  sha256: string;
  /** Absent when the size passed the limit: memory never holds more than `limit` bytes of it. */
  bytes?: Buffer;
}

/**
 * Reads a source whole when it is at most `limit` bytes; past that, keeps hashing and
 * counting but drops the bytes, so a small zip that inflates to gigabytes costs `limit` of
 * memory, not its inflated size.
 */
export async function readCapped(source: ByteSource, limit: number): Promise<CappedBytes> {
  const hash = createHash('sha256');
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  for await (const chunk of await source.open()) {
    const b = chunk as Buffer;
    hash.update(b);
    size += b.length;
    if (chunks && size <= limit) chunks.push(b);
    else chunks = undefined;
  }
  return { size, sha256: hash.digest('hex'), ...(chunks ? { bytes: Buffer.concat(chunks, size) } : {}) };
}

/** Bytes already in memory, in the same shape. */
export function inMemory(bytes: Buffer): CappedBytes {
  return { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes };
}
