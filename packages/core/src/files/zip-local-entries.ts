import { PassThrough, type Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { FileImportError } from '../errors.js';
import { crc32, crc32Hex as hex } from './crc32.js';
import type { ImportedFile } from './imported-file.js';

/** An entry found by its local header, walking the archive front to back. */
export interface LocalZipEntry {
  name: string;
  /** Byte offset of the entry's local header in the archive. */
  offset: number;
  /**
   * Decompressed bytes, from the local header on; an archive cut inside the entry ends in a
   * FileImportError naming it. An entry whose bytes fail its CRC-32 or do not inflate gives
   * that error at once, no byte of it (the walk checked it before yielding it).
   */
  open(): Readable;
}

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DESCRIPTOR = 0x08074b50;
const MAX32 = 0xffffffff;

async function readRange(file: ImportedFile, start: number, length: number): Promise<Buffer> {
  if (start >= file.size || length <= 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const chunk of file.openRaw(start, Math.min(file.size, start + length) - 1)) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Sizes from a zip64 extra field (id 1) where the 32-bit fields say 0xFFFFFFFF. */
function zip64Sizes(extra: Buffer, size: number, compressed: number): { size: number; compressed: number; zip64: boolean } {
  let zip64 = false;
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const len = extra.readUInt16LE(at + 2);
    if (id === 1) {
      zip64 = true;
      let p = at + 4;
      if (size === MAX32 && p + 8 <= extra.length) (size = Number(extra.readBigUInt64LE(p))), (p += 8);
      if (compressed === MAX32 && p + 8 <= extra.length) compressed = Number(extra.readBigUInt64LE(p));
      break;
    }
    at += 4 + len;
  }
  return { size, compressed, zip64 };
}

/** The CRC-32 of a data descriptor at `at` (its signature is optional), if the archive holds it. */
async function descriptorCrc(file: ImportedFile, at: number): Promise<number | undefined> {
  const d = await readRange(file, at, 8);
  if (d.length >= 8 && d.readUInt32LE(0) === DESCRIPTOR) return d.readUInt32LE(4);
  return d.length >= 4 ? d.readUInt32LE(0) : undefined;
}

/**
 * The entries of a zip archive read by their local headers, front to back, without the
 * central directory: the way to keep what a download cut short still holds. Entries are
 * yielded in archive order, each checked whole first (so each is inflated once more than its
 * reader reads it); each must be read (or left) before the next is found. When the
 * archive ends inside an entry or between entries, a FileImportError names the entry (or
 * the last whole one) and the byte offset, after every whole entry before it was yielded.
 */
export async function* localZipEntries(file: ImportedFile): AsyncIterable<LocalZipEntry> {
  let offset = 0;
  let whole = 0;
  let last = '';
  const cut = (what: string) =>
    new FileImportError(file.path, `damaged zip archive: ${what}; the file has ${file.size} bytes and no central directory was reached (${whole} whole entr${whole === 1 ? 'y' : 'ies'} before it were read${last ? `, the last ${last}` : ''})`);
  for (;;) {
    const head = await readRange(file, offset, 30);
    if (head.length < 4) throw cut(`it ends at byte ${offset}, after an entry, before its central directory`);
    const sig = head.readUInt32LE(0);
    if (sig === CENTRAL || sig === END) return;
    if (sig !== LOCAL) throw cut(`no zip entry at byte ${offset} (found bytes ${head.subarray(0, 4).toString('hex')})`);
    if (head.length < 30) throw cut(`it ends inside the local header at byte ${offset}`);
    const flags = head.readUInt16LE(6);
    const method = head.readUInt16LE(8);
    const nameLength = head.readUInt16LE(26);
    const extraLength = head.readUInt16LE(28);
    const meta = await readRange(file, offset + 30, nameLength + extraLength);
    if (meta.length < nameLength + extraLength) throw cut(`it ends inside the local header at byte ${offset}`);
    const name = meta.toString('utf8', 0, nameLength);
    const sizes = zip64Sizes(meta.subarray(nameLength), head.readUInt32LE(22), head.readUInt32LE(18));
    const dataStart = offset + 30 + nameLength + extraLength;
    const where = `zip entry ${name} (local header at byte ${offset})`;
    const streamed = (flags & 8) !== 0 && sizes.compressed === 0; // sizes only in the data descriptor after the data
    if (method !== 0 && method !== 8) throw cut(`${where} uses compression method ${method}, which bronze does not read`);
    if (streamed && method === 0) throw cut(`${where} is stored with its size after its data, which cannot be walked`);
    const declaredEnd = streamed ? file.size : dataStart + sizes.compressed;
    let compressed: number | undefined = streamed ? undefined : sizes.compressed;
    let failure: Error | undefined;
    /** A failure that is not the archive's end: no byte of the entry is handed out. */
    let damage: Error | undefined;
    const open = (counted: boolean): Readable => {
      const raw = file.openRaw(dataStart, Math.max(dataStart, Math.min(declaredEnd, file.size)) - 1);
      if (counted) raw.on('data', (chunk: Buffer) => file.advance(chunk.length));
      // What the reader gets: the data, or an error naming the entry and offset. A reader that
      // stops early (destroys it) is no damage: it only ends the reads behind it.
      const out = new PassThrough();
      const fail = (err: Error) => {
        // Inflating stops short of the data's end only where the file ends (zlib's Z_BUF_ERROR
        // there); any other failure is damage in the middle of the data.
        const cutShort = declaredEnd > file.size || (streamed && (err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR');
        failure = cutShort
          ? new FileImportError(file.path, `${where}: the archive is cut short at byte ${file.size}, inside this entry (${err.message}); everything before it was read`)
          : new FileImportError(file.path, `${where}: its compressed data is damaged (${err.message}); nothing of it was read`);
        damage = cutShort ? undefined : failure;
        out.destroy(failure);
      };
      const inflate = method === 8 ? createInflateRaw() : undefined;
      out.on('close', () => {
        raw.destroy();
        inflate?.destroy();
      });
      raw.on('error', fail);
      if (inflate) {
        inflate.on('error', fail);
        inflate.on('end', () => {
          compressed = inflate.bytesWritten;
        });
        raw.pipe(inflate).pipe(out);
      } else {
        raw.pipe(out, { end: false });
        raw.on('end', () => (declaredEnd > file.size ? fail(new Error('stored data incomplete')) : out.end()));
      }
      return out;
    };
    // The whole entry once, before a byte of it is handed out: where it ends, and whether its
    // bytes match its CRC-32 (a reader stores records as it goes). An entry the archive cuts
    // short has no CRC to match: what it holds before the cut is read, then the walk fails.
    let sum = 0;
    let inflated = 0;
    try {
      for await (const chunk of open(false)) (sum = crc32(chunk as Buffer, sum)), (inflated += (chunk as Buffer).length);
    } catch (err) {
      failure = err as Error;
    }
    const expected = failure || compressed === undefined ? undefined : flags & 8 ? await descriptorCrc(file, dataStart + compressed) : head.readUInt32LE(14);
    if (expected !== undefined && expected !== sum) {
      damage = new FileImportError(file.path, `${where}: its ${inflated} bytes do not match its CRC-32 (${hex(sum)}, the archive says ${hex(expected)}): the entry is damaged; nothing of it was read`);
    }
    const refused = damage;
    yield { name, offset, open: refused ? () => new PassThrough().destroy(refused) : () => open(true) };
    // Past damaged data, the next entry is where the local header says this one ends.
    if (damage && !streamed) compressed = sizes.compressed;
    else if (failure) throw failure;
    if (compressed === undefined || dataStart + compressed > file.size) throw cut(`it ends inside ${where}`);
    let next = dataStart + compressed;
    if (flags & 8) {
      const d = await readRange(file, next, 4);
      next += (d.length === 4 && d.readUInt32LE(0) === DESCRIPTOR ? 4 : 0) + (sizes.zip64 ? 20 : 12);
    }
    whole++;
    last = `${name} ending at byte ${next}`;
    offset = next;
  }
}
