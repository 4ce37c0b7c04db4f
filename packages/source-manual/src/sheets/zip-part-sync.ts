import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { inflateRawPieces } from './inflate-sync.js';

/**
 * One small part of a zip, read synchronously through the central directory. Only for
 * `streams()`, which core calls synchronously before any file is read and which must name
 * a workbook's streams (one per sheet) from xl/workbook.xml. Everything else is read by
 * core's `ctx.files.zipEntries`. Undefined when the part cannot be read this way (zip64,
 * damage, missing): the caller falls back, and the reader reports the damage properly.
 */
interface StoredPart {
  method: number;
  /** Offset of its data in the file, and its compressed and declared sizes. */
  at: number;
  compressed: number;
  size: number;
}

/** Where a part's bytes are, from the zip's central directory; undefined when it cannot be told (zip64, damage, missing). */
function findPart(fd: number, size: number, wanted: string): StoredPart | undefined {
  const read = (start: number, length: number) => {
    const buf = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
    readSync(fd, buf, 0, buf.length, start);
    return buf;
  };
  const tailStart = Math.max(0, size - 22 - 0xffff);
  const tail = read(tailStart, size - tailStart);
  let end = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) (end = i), (i = -1);
  if (end < 0) return undefined;
  const cdSize = tail.readUInt32LE(end + 12);
  const cdOffset = tail.readUInt32LE(end + 16);
  if (cdSize === 0xffffffff || cdOffset === 0xffffffff || cdOffset + cdSize > size) return undefined;
  const cd = read(cdOffset, cdSize);
  const target = wanted.toLowerCase(); // OPC part names compare case-insensitively
  for (let at = 0; at + 46 <= cd.length && cd.readUInt32LE(at) === 0x02014b50; ) {
    const nameLength = cd.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
    if (cd.toString('utf8', at + 46, at + 46 + nameLength).toLowerCase() === target) {
      const local = cd.readUInt32LE(at + 42);
      const head = read(local, 30);
      if (head.length < 30 || head.readUInt32LE(0) !== 0x04034b50) return undefined;
      return { method: cd.readUInt16LE(at + 10), at: local + 30 + head.readUInt16LE(26) + head.readUInt16LE(28), compressed: cd.readUInt32LE(at + 20), size: cd.readUInt32LE(at + 24) };
    }
    at = next;
  }
  return undefined;
}

/**
 * One small part of a zip, read synchronously through the central directory. Only for
 * `streams()`, which core calls synchronously before any file is read and which must name
 * a workbook's streams (one per sheet) from xl/workbook.xml. Everything else is read by
 * core's `ctx.files.zipEntries`. Undefined when the part cannot be read this way (zip64,
 * damage, missing): the caller falls back, and the reader reports the damage properly.
 */
export function readZipPartSync(path: string, wanted: string, maxBytes: number): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const part = findPart(fd, fstatSync(fd).size, wanted);
    if (!part) return undefined;
    const data = Buffer.alloc(part.compressed);
    readSync(fd, data, 0, data.length, part.at);
    if (part.method === 0) return data.length <= maxBytes ? data : undefined;
    if (part.method !== 8) return undefined;
    return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A part of any size, read synchronously a piece at a time (each piece's inflated bytes to
 * `onBytes`, never the whole part): for streams() to list an .ods file's sheets, which only
 * its content.xml names. False when the part cannot be read this way, or its declared sizes
 * look like a zip bomb (more than 200× beyond 64 MiB, core's default limit): the reader then
 * says what is wrong. Damage part-way throws, after the pieces before it.
 */
export function readZipPartPiecesSync(path: string, wanted: string, onBytes: (bytes: Buffer) => void): boolean {
  const fd = openSync(path, 'r');
  try {
    const part = findPart(fd, fstatSync(fd).size, wanted);
    if (!part || (part.method !== 0 && part.method !== 8)) return false;
    if (part.size > 64 * 1024 * 1024 && part.size / Math.max(part.compressed, 1) > 200) return false;
    let done = 0;
    const read = (buf: Buffer) => {
      const n = readSync(fd, buf, 0, Math.min(buf.length, part.compressed - done), part.at + done);
      done += n;
      return n;
    };
    if (part.method === 8) inflateRawPieces(read, onBytes, part.size);
    else for (let piece = Buffer.alloc(1 << 16), n; (n = read(piece)) > 0; ) onBytes(Buffer.from(piece.subarray(0, n)));
    return true;
  } finally {
    closeSync(fd);
  }
}
