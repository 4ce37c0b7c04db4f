import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

/** CRC-32 as zip writes it, in JavaScript: Node before 20.15 has no zlib.crc32. */
function crc32Js(data: Uint8Array, value: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~value >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** The CRC-32 of `data`, continuing from `value` (the CRC of the bytes before it). */
export function crc32(data: Uint8Array, value = 0): number {
  return native ? native(data, value) : crc32Js(data, value);
}

/** A CRC-32 as messages show it: 8 hex digits. */
export const crc32Hex = (n: number) => n.toString(16).padStart(8, '0');

export { crc32Js };
