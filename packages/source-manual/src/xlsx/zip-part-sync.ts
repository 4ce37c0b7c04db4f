import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

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
    const size = fstatSync(fd).size;
    const read = (start: number, length: number) => {
      const buf = Buffer.alloc(Math.max(0, Math.min(length, size - start)));
      readSync(fd!, buf, 0, buf.length, start);
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
      const method = cd.readUInt16LE(at + 10);
      const compressed = cd.readUInt32LE(at + 20);
      const nameLength = cd.readUInt16LE(at + 28);
      const next = at + 46 + nameLength + cd.readUInt16LE(at + 30) + cd.readUInt16LE(at + 32);
      const name = cd.toString('utf8', at + 46, at + 46 + nameLength);
      if (name.toLowerCase() === target) {
        const local = cd.readUInt32LE(at + 42);
        const head = read(local, 30);
        if (head.length < 30 || head.readUInt32LE(0) !== 0x04034b50) return undefined;
        const data = read(local + 30 + head.readUInt16LE(26) + head.readUInt16LE(28), compressed);
        if (method === 0) return data.length <= maxBytes ? data : undefined;
        if (method !== 8) return undefined;
        return inflateRawSync(data, { maxOutputLength: maxBytes });
      }
      at = next;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
