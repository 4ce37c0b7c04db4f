/**
 * FIT compressed-timestamp record headers, which @garmin/fitsdk does not decode ("compressed
 * timestamp messages are not currently supported": it drops every message after the first).
 *
 * The FIT protocol: a record header with bit 7 set is a data message whose bits 5–6 are the
 * local message type and bits 0–4 a time offset in seconds against the last full timestamp
 * (field 253 of any earlier message, or of the previous compressed one), rolling over at 32:
 *   timestamp = last + ((offset − last) mod 32)
 *
 * expandCompressedTimestamps rewrites a FIT section so the SDK reads it whole: each such
 * message becomes a normal data message whose definition gains field 253 (timestamp,
 * uint32), carrying the computed timestamp; every other byte of every message is copied
 * unchanged, so every value stays raw and exact. The local type's original definition is
 * repeated before the next normal message that uses it, and the section's data size and CRCs
 * are recomputed. A section whose CRC is wrong, or that cannot be walked to its end, is
 * never rewritten: its damage is the SDK's to report, as before.
 *
 * The same walk fixes field definitions the SDK reads as nothing: a field whose size is not a
 * multiple of its base type's (a Coros Pace 2 writes `event.data`, uint32, in 1 byte). Such a
 * field's base type becomes `byte` (as python-fitparse does), so its bytes are kept as they
 * are, unsigned, in file order.
 */

import { alteredStrings, BASE_TYPE_SIZE, DEVELOPER_DATA_ID, DeveloperFields, FIELD_DESCRIPTION, type DefinitionLayout } from './developer-fields.js';
import { duplicatedNumbers, overwrittenFields } from './duplicate-fields.js';

const TIMESTAMP_FIELD = 253;
const UINT32 = 0x86;
const BYTE = 0x0d;

interface Definition extends DefinitionLayout {
  /** The definition record as it appears in the file (header byte included). */
  record: Buffer;
  littleEndian: boolean;
  /** Bytes of the regular fields, then of the developer fields, in a data message. */
  fieldBytes: number;
  devBytes: number;
  /** Byte offset of field 253 (uint32) inside a data message, when the definition has it. */
  timestampAt?: number;
  /** Fields whose base type was changed to byte (their size is not a multiple of it). */
  asBytes: number;
}

export interface SectionWalk {
  /** Data messages in the section (normal and compressed headers). */
  dataMessages: number;
  /** Of which with a compressed-timestamp header. */
  compressed: number;
  /** Field definitions read as bytes: their size is not a multiple of their base type's. */
  asBytes: number;
  /** The section's CRC is correct and its records end exactly at its data size. */
  intact: boolean;
  /**
   * Where the walk stopped, from the section's start: its data end when every record was walked,
   * else the first byte of the record it could not walk (an undefined local type, a record
   * running past the data or the file): where a damaged section's damage begins.
   */
  walkedTo: number;
  /** The section rewritten without compressed headers (the input when none or not intact). */
  bytes: Buffer;
  /**
   * Developer-field values the SDK reads as nothing: no developer_data_id and field_description
   * before them (a Garmin FR235 writes no developer_data_id, a Hammerhead Karoo may write a
   * record before its description), or a size that is not a multiple of the described type's.
   */
  undescribedDevFields: number;
  /** String values the SDK alters: bytes that are not UTF-8, or a U+FFFD (it removes both). */
  alteredStrings: number;
  /** Field values the SDK overwrites with a later field of the same number in the same message. */
  overwrittenFields: number;
}

const CRC_TABLE = [0x0000, 0xcc01, 0xd801, 0x1400, 0xf001, 0x3c00, 0x2800, 0xe401, 0xa001, 0x6c00, 0x7800, 0xb401, 0x5000, 0x9c01, 0x8801, 0x4400];

/** The FIT CRC-16 of buf[start, end). */
export function fitCrc(buf: Buffer, start = 0, end = buf.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    const byte = buf[i];
    let tmp = CRC_TABLE[crc & 0xf];
    crc = ((crc >> 4) & 0x0fff) ^ tmp ^ CRC_TABLE[byte & 0xf];
    tmp = CRC_TABLE[crc & 0xf];
    crc = ((crc >> 4) & 0x0fff) ^ tmp ^ CRC_TABLE[(byte >> 4) & 0xf];
  }
  return crc;
}

function readDefinition(buf: Buffer, at: number, end: number): { def: Definition; next: number } | undefined {
  const header = buf[at];
  if (at + 6 > end) return undefined;
  const littleEndian = buf[at + 2] === 0;
  const global = littleEndian ? buf.readUInt16LE(at + 3) : buf.readUInt16BE(at + 3);
  const numFields = buf[at + 5];
  let p = at + 6;
  let fieldBytes = 0;
  let timestampAt: number | undefined;
  const asByte: number[] = [];
  const fields: Definition['fields'] = [];
  const strings: Definition['strings'] = [];
  const dev: Definition['dev'] = [];
  for (let i = 0; i < numFields; i++, p += 3) {
    if (p + 3 > end) return undefined;
    if (buf[p] === TIMESTAMP_FIELD && buf[p + 1] === 4) timestampAt = fieldBytes;
    fields.push({ num: buf[p], size: buf[p + 1], at: fieldBytes, type: buf[p + 2] });
    if ((buf[p + 2] & 0x1f) === 7) strings.push({ size: buf[p + 1], at: fieldBytes });
    // An unknown base type is left alone: the SDK stops there, and the section is kept as a decoder limit.
    const typeSize = BASE_TYPE_SIZE[buf[p + 2] & 0x1f];
    if (typeSize !== undefined && buf[p + 1] % typeSize !== 0) asByte.push(p + 2 - at);
    fieldBytes += buf[p + 1];
  }
  let devBytes = 0;
  if (header & 0x20) {
    if (p + 1 > end) return undefined;
    const numDev = buf[p++];
    for (let i = 0; i < numDev; i++, p += 3) {
      if (p + 3 > end) return undefined;
      dev.push({ num: buf[p], size: buf[p + 1], index: buf[p + 2] });
      devBytes += buf[p + 1];
    }
  }
  let record = buf.subarray(at, p);
  if (asByte.length) {
    record = Buffer.from(record);
    for (const i of asByte) record[i] = BYTE;
  }
  const duplicated = duplicatedNumbers(fields);
  return { def: { record, littleEndian, fieldBytes, devBytes, timestampAt, asBytes: asByte.length, global, fields, strings, dev, ...(duplicated ? { duplicated } : {}) }, next: p };
}

/** The definition with field 253 (uint32) appended to its regular fields. */
function withTimestamp(def: Definition): Buffer {
  const r = def.record;
  const regularEnd = 6 + r[5] * 3;
  const out = Buffer.concat([r.subarray(0, regularEnd), Buffer.from([TIMESTAMP_FIELD, 4, UINT32]), r.subarray(regularEnd)]);
  out[5] = r[5] + 1;
  return out;
}

function uint32(value: number, littleEndian: boolean): Buffer {
  const b = Buffer.alloc(4);
  if (littleEndian) b.writeUInt32LE(value >>> 0);
  else b.writeUInt32BE(value >>> 0);
  return b;
}

/** Walks one FIT section (header, records, CRC) and rewrites its compressed-timestamp messages. */
export function expandCompressedTimestamps(section: Buffer): SectionWalk {
  const headerSize = section[0];
  const dataSize = section.readUInt32LE(4);
  const end = headerSize + dataSize;
  // A section cut short is still walked as far as its bytes go, to find the record the cut is in.
  const limit = Math.min(end, section.length);
  const notIntact = (dataMessages: number, compressed: number, walkedTo: number): SectionWalk => ({ dataMessages, compressed, asBytes: 0, intact: false, walkedTo, bytes: section, undescribedDevFields: 0, alteredStrings: 0, overwrittenFields: 0 });
  const developer = new DeveloperFields();
  let undescribedDevFields = 0;
  let altered = 0;
  let overwritten = 0;
  const crcOk = section.length >= end + 2 && fitCrc(section, 0, end) === section.readUInt16LE(end);

  const defs: (Definition | undefined)[] = new Array(16);
  // Which definition the rewritten stream last declared for a local type: the file's own, or the one with field 253.
  const declared: ('original' | 'expanded')[] = new Array(16).fill('original');
  const out: Buffer[] = [section.subarray(0, headerSize)];
  let last: number | undefined;
  let dataMessages = 0;
  let compressed = 0;
  let asBytes = 0;
  let p = headerSize;
  while (p < limit) {
    const header = section[p];
    if ((header & 0x80) === 0 && header & 0x40) {
      const read = readDefinition(section, p, limit);
      if (!read) return notIntact(dataMessages, compressed, p);
      defs[header & 0x0f] = read.def;
      declared[header & 0x0f] = 'original';
      asBytes += read.def.asBytes;
      out.push(read.def.record);
      p = read.next;
      continue;
    }
    const compressedHeader = (header & 0x80) !== 0;
    const local = compressedHeader ? (header >> 5) & 0x03 : header & 0x0f;
    const def = defs[local];
    const size = def ? def.fieldBytes + def.devBytes : 0;
    if (!def || p + 1 + size > limit) return notIntact(dataMessages, compressed, p);
    const body = section.subarray(p + 1, p + 1 + size);
    dataMessages++;
    if (def.dev.length) undescribedDevFields += developer.unreadable(def);
    if (def.strings.length) altered += alteredStrings(def, body);
    if (def.duplicated) overwritten += overwrittenFields(def, body);
    if (def.global === DEVELOPER_DATA_ID || def.global === FIELD_DESCRIPTION) developer.learn(def, body);
    if (!compressedHeader) {
      if (def.timestampAt !== undefined) {
        const ts = def.littleEndian ? body.readUInt32LE(def.timestampAt) : body.readUInt32BE(def.timestampAt);
        if (ts !== 0xffffffff) last = ts;
      }
      if (declared[local] === 'expanded') {
        out.push(def.record);
        declared[local] = 'original';
      }
      out.push(section.subarray(p, p + 1 + size));
    } else {
      compressed++;
      const offset = header & 0x1f;
      const base = last ?? 0;
      const ts = base + ((offset - base) & 0x1f);
      last = ts;
      if (def.timestampAt !== undefined) {
        // The message carries field 253 itself: only its header changes.
        out.push(Buffer.from([local]), body);
      } else {
        if (declared[local] === 'original') {
          out.push(withTimestamp(def));
          declared[local] = 'expanded';
        }
        out.push(Buffer.from([local]), body.subarray(0, def.fieldBytes), uint32(ts, def.littleEndian), body.subarray(def.fieldBytes));
      }
    }
    p += 1 + size;
  }
  if (p !== end || !crcOk) return notIntact(dataMessages, compressed, p);
  if (compressed === 0 && asBytes === 0) return { dataMessages, compressed, asBytes, intact: true, walkedTo: end, bytes: section, undescribedDevFields, alteredStrings: altered, overwrittenFields: overwritten };

  const rewritten = Buffer.concat([...out, Buffer.alloc(2)]);
  const newDataSize = rewritten.length - headerSize - 2;
  rewritten.writeUInt32LE(newDataSize, 4);
  if (headerSize === 14 && section.readUInt16LE(12) !== 0) rewritten.writeUInt16LE(fitCrc(rewritten, 0, 12), 12);
  rewritten.writeUInt16LE(fitCrc(rewritten, 0, headerSize + newDataSize), headerSize + newDataSize);
  return { dataMessages, compressed, asBytes, intact: true, walkedTo: end, bytes: rewritten, undescribedDevFields, alteredStrings: altered, overwrittenFields: overwritten };
}
