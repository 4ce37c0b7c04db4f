import { Readable } from 'node:stream';
import type { ByteSource } from '../src/index.js';

/** A file of these bytes, read in chunks of `chunk` bytes (chunk boundaries are where readers break). */
export function bytes(path: string, data: string | Buffer, chunk = 65536): ByteSource {
  const buf = typeof data === 'string' ? Buffer.from(data) : data;
  return {
    path,
    open: () => Readable.from((function* () {
      for (let i = 0; i < buf.length; i += chunk) yield buf.subarray(i, i + chunk);
    })()),
  };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The items read before a reader failed, and its error. */
export async function collectUntilError<T>(it: AsyncIterable<T>): Promise<{ items: T[]; error?: Error }> {
  const items: T[] = [];
  try {
    for await (const x of it) items.push(x);
  } catch (err) {
    return { items, error: err as Error };
  }
  return { items };
}
