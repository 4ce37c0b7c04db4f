/**
 * FIT definition records, as the section walk (compressed-timestamps.ts) reads and rewrites them:
 * the layout of the data messages they define, and the record itself, with the base type of a
 * field the SDK would read as nothing changed to `byte`.
 */

import { BASE_TYPE_SIZE, type DefinitionLayout } from './developer-fields.js';
import { duplicatedNumbers } from './duplicate-fields.js';

export const TIMESTAMP_FIELD = 253;
const UINT32 = 0x86;
const BYTE = 0x0d;

export interface Definition extends DefinitionLayout {
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

/** The definition record at buf[at], or undefined when it runs past `end`. */
export function readDefinition(buf: Buffer, at: number, end: number): { def: Definition; next: number } | undefined {
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
export function withTimestamp(def: Definition): Buffer {
  const r = def.record;
  const regularEnd = 6 + r[5] * 3;
  const out = Buffer.concat([r.subarray(0, regularEnd), Buffer.from([TIMESTAMP_FIELD, 4, UINT32]), r.subarray(regularEnd)]);
  out[5] = r[5] + 1;
  return out;
}
