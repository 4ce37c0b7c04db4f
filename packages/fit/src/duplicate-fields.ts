import { BASE_TYPE_SIZE, type DefinitionLayout } from './developer-fields.js';

/** Each base type's invalid value, as an unsigned integer of its size (floats: all bits set). */
const INVALID = [0xff, 0x7f, 0xff, 0x7fff, 0xffff, 0x7fffffff, 0xffffffff, 0, 0xffffffff, 0xffffffffffffffffn, 0, 0, 0, 0xff, 0x7fffffffffffffffn, 0xffffffffffffffffn, 0n];
const STRING = 7;

/** Whether a field's bytes are its type's invalid value, which the SDK reads as nothing (no value to keep). */
function isInvalid(bytes: Buffer, baseType: number, littleEndian: boolean): boolean {
  let type = baseType & 0x1f;
  if (type === STRING) return bytes.every((b) => b === 0);
  let size = BASE_TYPE_SIZE[type];
  if (size === undefined) return false;
  if (bytes.length % size !== 0) [type, size] = [0x0d, 1]; // read as bytes (compressed-timestamps.ts)
  for (let at = 0; at < bytes.length; at += size) {
    const raw = size === 8
      ? (littleEndian ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at))
      : littleEndian ? bytes.readUIntLE(at, size) : bytes.readUIntBE(at, size);
    if (raw !== INVALID[type]) return false;
  }
  return true;
}

/**
 * Values the SDK overwrites: it keys a message's fields by field number (by name), so when a
 * definition names the same field number more than once (a Bingi watch's `lap` holds
 * `avg_swolf`, 73, twice: 30 then 0), the last occurrence with a valid value is the one
 * kept and every other valid occurrence with other bytes is lost. Returns how many, for one
 * data message of this definition.
 */
export function overwrittenFields(def: DefinitionLayout & { littleEndian: boolean }, body: Buffer): number {
  if (!def.duplicated) return 0;
  let lost = 0;
  for (const num of def.duplicated) {
    const valid = def.fields
      .filter((f) => f.num === num)
      .map((f) => ({ f, bytes: body.subarray(f.at, f.at + f.size) }))
      .filter(({ f, bytes }) => !isInvalid(bytes, f.type, def.littleEndian));
    const kept = valid.at(-1)?.bytes;
    lost += valid.filter(({ bytes }) => !bytes.equals(kept!)).length;
  }
  return lost;
}

/** The field numbers a definition names more than once, or undefined (nearly every definition). */
export function duplicatedNumbers(fields: DefinitionLayout['fields']): number[] | undefined {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const f of fields) (seen.has(f.num) ? twice : seen).add(f.num);
  return twice.size ? [...twice] : undefined;
}
