import { expandCompressedTimestamps } from './compressed-timestamps.js';
import { sealSection } from './fit-crc.js';

/**
 * A FIT file never finalized: its header says 0 data bytes (a device writes the real size and
 * the CRC only when it closes the file; a file copied while recording, or left by a crash or
 * a flat battery, keeps the 0), yet records follow it. The SDK reads the 0, finds no CRC after
 * it and decodes nothing (a real file of 86,016 bytes, 2,322 records: "CRC error at byte 14").
 *
 * finalizeSection walks the records that follow the header up to the first one it cannot
 * read (or the end of the file) and returns the section the device would have written: the
 * same header with that data size, the same record bytes, and their CRC. The caller still
 * stores the file as damaged (the data cannot be checked against a CRC) with its bytes.
 */
export interface FinalizedSection {
  /** The rebuilt section: header, the walked records unchanged, a computed CRC. */
  bytes: Buffer;
  /** Where the walked records end, from the section's start: the first byte not decoded. */
  dataEnd: number;
}

export function finalizeSection(buf: Buffer, offset: number, headerSize: number): FinalizedSection {
  const rest = Buffer.from(buf.subarray(offset));
  rest.writeUInt32LE(rest.length - headerSize, 4); // claim everything, so the walk goes as far as the records do
  const walk = expandCompressedTimestamps(rest);
  const dataEnd = Math.max(headerSize, walk.walkedTo);
  return { bytes: sealSection(rest.subarray(0, headerSize), [rest.subarray(headerSize, dataEnd)]), dataEnd };
}
