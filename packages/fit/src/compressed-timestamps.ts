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
 * are recomputed.
 *
 * A section that is not intact (CRC wrong, cut short, or a record that cannot be walked) and
 * holds no compressed header is handed to the SDK as it is: the SDK decodes up to the damage and
 * names it, as before. One that holds compressed headers is rewritten up to the last whole record
 * before the damage (`rewrittenBeforeDamage`, `stop` says why the walk stopped there): handed as it
 * is, the SDK would stop at the first compressed header, leaving out every message between it and
 * the damage, and name that header as the damage. The caller reports the damage at `walkedTo`.
 *
 * The same walk fixes field definitions the SDK reads as nothing: a field whose size is not a
 * multiple of its base type's (a Coros Pace 2 writes `event.data`, uint32, in 1 byte). Such a
 * field's base type becomes `byte` (as python-fitparse does), so its bytes are kept as they
 * are, unsigned, in file order.
 */

import { alteredStrings, DEVELOPER_DATA_ID, DeveloperFields, FIELD_DESCRIPTION } from './developer-fields.js';
import { overwrittenFields } from './duplicate-fields.js';
import { fitCrc, sealSection } from './fit-crc.js';
import { readDefinition, withTimestamp, type Definition } from './fit-definition.js';

/** Why the walk of a section that is not intact stopped where it did (`SectionWalk.walkedTo`). */
export type WalkStop =
  /** A data message of a local type no definition before it declares (garbage, or bytes missing before it). */
  | { reason: 'undefined-local'; local: number }
  /** A record (definition or data) running past the section's data or past the end of the file. */
  | { reason: 'record-past-end' }
  /** Every record whole, but the file ends before the section's data end or inside its CRC. */
  | { reason: 'file-ends' }
  /** Every record walked to the data end, the CRC after them wrong. */
  | { reason: 'crc' };

export interface SectionWalk {
  /** Data messages in the section (normal and compressed headers), up to where the walk stopped. */
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
  /** Why a section that is not intact stopped at walkedTo; absent when intact. */
  stop?: WalkStop;
  /**
   * The section is not intact, holds compressed headers, and `bytes` are its records up to
   * walkedTo, rewritten and sealed with a new CRC: the decoder reads them without error, so the
   * damage is the caller's to report, from `stop` and walkedTo.
   */
  rewrittenBeforeDamage: boolean;
  /**
   * The bytes to decode: the section rewritten without compressed headers or fields the SDK reads
   * as nothing; the input itself when it has neither, or is not intact and has no compressed header.
   */
  bytes: Buffer;
  /**
   * Developer-field values the SDK reads as nothing: no developer_data_id and field_description
   * before them (a Garmin FR235 writes no developer_data_id, a Hammerhead Karoo may write a
   * record before its description), or a size that is not a multiple of the described type's.
   * Counted in intact sections only (a damaged one is kept whole as damage).
   */
  undescribedDevFields: number;
  /** String values the SDK alters: bytes that are not UTF-8, or a U+FFFD (it removes both). Intact sections only. */
  alteredStrings: number;
  /** Field values the SDK overwrites with a later field of the same number in the same message. Intact sections only. */
  overwrittenFields: number;
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
  const developer = new DeveloperFields();
  let undescribedDevFields = 0;
  let altered = 0;
  let overwritten = 0;
  const crcOk = section.length >= end + 2 && fitCrc(section, 0, end) === section.readUInt16LE(end);

  const defs: (Definition | undefined)[] = new Array(16);
  // Which definition the rewritten stream last declared for a local type: the file's own, or the one with field 253.
  const declared: ('original' | 'expanded')[] = new Array(16).fill('original');
  // The rewritten records; a record is added only once it was walked whole, so they end at the last whole one.
  const out: Buffer[] = [];
  let last: number | undefined;
  let dataMessages = 0;
  let compressed = 0;
  let asBytes = 0;
  let stop: WalkStop | undefined;
  let p = headerSize;
  while (p < limit) {
    const header = section[p];
    if ((header & 0x80) === 0 && header & 0x40) {
      const read = readDefinition(section, p, limit);
      if (!read) {
        stop = { reason: 'record-past-end' };
        break;
      }
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
    if (!def || p + 1 + size > limit) {
      stop = def ? { reason: 'record-past-end' } : { reason: 'undefined-local', local };
      break;
    }
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
  if (!stop && p !== end) stop = { reason: 'file-ends' }; // the loop ran out of file at a record's end
  if (!stop && !crcOk) stop = section.length < end + 2 ? { reason: 'file-ends' } : { reason: 'crc' };

  const header = section.subarray(0, headerSize);
  const walked = { dataMessages, compressed, walkedTo: p };
  if (stop) {
    const untouched = { ...walked, asBytes: 0, intact: false, stop, rewrittenBeforeDamage: false, bytes: section, undescribedDevFields: 0, alteredStrings: 0, overwrittenFields: 0 };
    if (compressed === 0) return untouched;
    return { ...untouched, asBytes, rewrittenBeforeDamage: true, bytes: sealSection(header, out) };
  }
  const counts = { ...walked, asBytes, intact: true, rewrittenBeforeDamage: false, undescribedDevFields, alteredStrings: altered, overwrittenFields: overwritten };
  if (compressed === 0 && asBytes === 0) return { ...counts, bytes: section };
  return { ...counts, bytes: sealSection(header, out) };
}
