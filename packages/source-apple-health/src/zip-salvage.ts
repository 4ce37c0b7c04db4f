import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { ImportedFile } from '@bronze/core';

const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const HEADER_BYTES = 30;

export interface LocalEntry {
  name: string;
  /** Byte offset of the local header in the archive. */
  offset: number;
  /** 0 stored, 8 deflated. */
  method: number;
  dataStart: number;
}

/**
 * Finds an entry by its local header, scanning the archive front to back: the way to
 * read a zip whose end (central directory) is missing, e.g. a download cut short.
 * Memory holds one read chunk plus a few hundred bytes.
 */
export async function findLocalEntry(file: ImportedFile, wanted: (name: string) => boolean): Promise<LocalEntry | undefined> {
  let carry: Buffer = Buffer.alloc(0);
  let carryStart = 0;
  for await (const chunk of file.openRaw()) {
    const buf: Buffer = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let at = buf.indexOf(LOCAL_HEADER);
    let keepFrom = Math.max(0, buf.length - (HEADER_BYTES + 1024));
    while (at !== -1) {
      if (at + HEADER_BYTES > buf.length) {
        keepFrom = Math.min(keepFrom, at);
        break;
      }
      const method = buf.readUInt16LE(at + 8);
      const nameLength = buf.readUInt16LE(at + 26);
      const extraLength = buf.readUInt16LE(at + 28);
      if (at + HEADER_BYTES + nameLength > buf.length) {
        keepFrom = Math.min(keepFrom, at);
        break;
      }
      const name = buf.toString('utf8', at + HEADER_BYTES, at + HEADER_BYTES + nameLength);
      if ((method === 0 || method === 8) && wanted(name)) {
        const offset = carryStart + at;
        return { name, offset, method, dataStart: offset + HEADER_BYTES + nameLength + extraLength };
      }
      at = buf.indexOf(LOCAL_HEADER, at + 4);
    }
    carry = buf.subarray(keepFrom);
    carryStart += keepFrom;
  }
  return undefined;
}

/** The entry's bytes from its local header on, inflated; a cut archive ends in an error. */
export function openLocalEntry(file: ImportedFile, entry: LocalEntry): Readable {
  const raw = file.openRaw(entry.dataStart);
  raw.on('data', (chunk: Buffer) => file.advance(chunk.length));
  if (entry.method === 0) return raw;
  const inflate = createInflateRaw();
  raw.on('error', (err) => inflate.destroy(err));
  return raw.pipe(inflate);
}
