/** The FIT CRC-16, and a section sealed with it after bronze rebuilt its records. */

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

/**
 * A section as the decoder expects one, from a section's header (12 or 14 bytes, copied) and the
 * records bronze hands it (rewritten, or walked up to damage): the header's data size becomes the
 * records' length, its own CRC is recomputed when it has one (a 14-byte header whose CRC is not 0),
 * and the CRC of header and records follows them. The decoder checks both CRCs, so records that
 * are not the file's bytes as written need new ones to be read at all.
 */
export function sealSection(header: Buffer, records: Buffer[]): Buffer {
  const headerSize = header.length;
  const out = Buffer.concat([header, ...records, Buffer.alloc(2)]);
  const dataEnd = out.length - 2;
  out.writeUInt32LE(dataEnd - headerSize, 4);
  if (headerSize === 14 && out.readUInt16LE(12) !== 0) out.writeUInt16LE(fitCrc(out, 0, 12), 12);
  out.writeUInt16LE(fitCrc(out, 0, dataEnd), dataEnd);
  return out;
}
