import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { MAX_ENTRY_BYTES, formatBytes } from '../export-layout.js';

/** The whole stream, refused with a message naming `label` as soon as it passes `limit` bytes (never held beyond it). */
export async function readWhole(input: Readable, label: string, limit = MAX_ENTRY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      input.destroy();
      throw new Error(`${label}: larger than ${formatBytes(limit)}, the limit for one file read whole into one record; not read`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Offset of the first byte that is not valid UTF-8, or -1. */
function firstInvalidUtf8(b: Buffer): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (!n || i + n >= b.length + (n ? 0 : 1)) return i;
    let cp = c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (b[i + k] & 0x3f);
    }
    if (cp < [0, 0x80, 0x800, 0x10000][n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) return i;
    i += n + 1;
  }
  return -1;
}

/** UTF-8 text (a leading BOM dropped), or the text with U+FFFD and a warning naming the first invalid byte. */
export function decodeUtf8(bytes: Buffer, label: string): { text: string; warning?: string } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  const bad = firstInvalidUtf8(body);
  if (bad === -1) return { text: body.toString('utf8') };
  return { text: body.toString('utf8'), warning: `${label}: invalid UTF-8 at byte ${bad}; such bytes are stored as U+FFFD` };
}

/** Size and sha256 of a stream of any length, with its first `keep` bytes (memory: one chunk plus `keep`). */
export async function digest(input: Readable, keep: number): Promise<{ size: number; sha256: string; head: Buffer }> {
  const hash = createHash('sha256');
  const head: Buffer[] = [];
  let kept = 0;
  let size = 0;
  for await (const chunk of input) {
    const buf = chunk as Buffer;
    hash.update(buf);
    size += buf.length;
    if (kept < keep) {
      const part = buf.subarray(0, keep - kept);
      head.push(part);
      kept += part.length;
    }
  }
  return { size, sha256: hash.digest('hex'), head: Buffer.concat(head) };
}
