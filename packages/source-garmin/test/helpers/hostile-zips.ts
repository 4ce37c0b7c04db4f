import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { fitCrc } from '@bronze/fit';

/**
 * A valid FIT activity of about `bytes` bytes: one `record` definition (timestamp, heart
 * rate, cadence, distance) and as many identical records as fit, with a correct CRC. Compresses
 * to a tiny zip entry, like the adversarial 96 MB FIT in a 140 KB zip.
 */
export function bigFit(bytes: number): Buffer {
  const def = Buffer.from([0x40, 0, 0, 20, 0, 4, 253, 4, 0x86, 3, 1, 0x02, 4, 1, 0x02, 5, 4, 0x86]);
  const recordSize = 1 + 4 + 1 + 1 + 4;
  const n = Math.max(1, Math.floor((bytes - 14 - def.length - 2) / recordSize));
  const dataSize = def.length + n * recordSize;
  const buf = Buffer.alloc(14 + dataSize + 2);
  buf.writeUInt8(14, 0);
  buf.writeUInt8(0x20, 1);
  buf.writeUInt16LE(2132, 2);
  buf.writeUInt32LE(dataSize, 4);
  buf.write('.FIT', 8, 'latin1');
  buf.writeUInt16LE(fitCrc(buf, 0, 12), 12);
  def.copy(buf, 14);
  let p = 14 + def.length;
  for (let i = 0; i < n; i++, p += recordSize) {
    buf.writeUInt8(0, p);
    // Every second alike (a device stuck on one reading): what makes it compress so well.
    buf.writeUInt32LE(1000000000, p + 1);
    buf.writeUInt8(120, p + 5);
    buf.writeUInt8(80, p + 6);
    buf.writeUInt32LE(300, p + 7);
  }
  buf.writeUInt16LE(fitCrc(buf, 0, 14 + dataSize), 14 + dataSize);
  return buf;
}

/** `size` bytes of `unit` repeated, streamed (never one string in memory). */
function repeated(head: string, unit: string, size: number, tail: string): Readable {
  const chunk = Buffer.from(unit.repeat(Math.ceil((1 << 20) / unit.length)));
  let left = size;
  return Readable.from((function* () {
    yield Buffer.from(head);
    for (; left > 0; left -= chunk.length) yield left >= chunk.length ? chunk : chunk.subarray(0, left);
    yield Buffer.from(tail);
  })());
}

/** A zip whose entries inflate to far more than it weighs. Returns its path. */
export function hostileZip(o: { fitBytes?: number; jsonObjectBytes?: number; textBytes?: number }): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'garmin-hostile-')), 'export.zip');
  const zip = new yazl.ZipFile();
  const mtime = new Date('2025-06-15T00:00:00Z');
  const dc = 'DI_CONNECT';
  if (o.fitBytes) zip.addBuffer(bigFit(o.fitBytes), `${dc}/DI-Connect-Uploaded-Files/huge_ACTIVITY.fit`, { mtime });
  // A wellness file that is one object (not an array) holding one enormous string.
  if (o.jsonObjectBytes) zip.addReadStream(repeated('{"samples":"', 'abcdefgh', o.jsonObjectBytes, '"}'), `${dc}/DI-Connect-Wellness/me@example.com_0_bigSamples.json`, { mtime });
  if (o.textBytes) zip.addReadStream(repeated('', 'log line 0123456789\n', o.textBytes, ''), `${dc}/DI-Connect-User/huge-log.txt`, { mtime });
  zip.end();
  return new Promise((resolve, reject) => {
    zip.outputStream.pipe(createWriteStream(path)).on('close', () => resolve(path)).on('error', reject);
  });
}
