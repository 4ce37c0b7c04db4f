import { isAscii, isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';

/** What a pass over a stream found: valid UTF-8 throughout, or where and how much it is not. */
export type Utf8Scan =
  | { utf8: true }
  | {
      utf8: false;
      /** Offset of the first byte that is no part of a UTF-8 sequence. */
      firstBad: number;
      /** Bytes that are no part of a UTF-8 sequence (from the first bad chunk on). */
      badBytes: number;
      /** Well-formed multi-byte UTF-8 sequences in the file. */
      sequences: number;
      /** The first such sequence, and its offset. */
      sample?: { offset: number; bytes: Buffer };
    };

/** Bytes at the end of `buf` that may start a UTF-8 sequence continued in the next chunk. */
function incompleteTail(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Length of the well-formed UTF-8 sequence starting at buf[i] (a byte ≥ 0x80), or 0 (RFC 3629 table). */
function sequenceAt(buf: Buffer, i: number): number {
  const b = buf[i];
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > buf.length) return 0;
  const second = buf[i + 1];
  const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
  if (second < lo || second > hi) return 0;
  for (let k = 2; k < n; k++) if ((buf[k + i] & 0xc0) !== 0x80) return 0;
  return n;
}

/**
 * One pass over the stream: whether it is valid UTF-8 (native isUtf8 per chunk, a sequence
 * split across chunks carried over, so the decision holds for every row of the file). From
 * the first chunk that is not, the bytes are walked one by one to count what is UTF-8 and what
 * is not: a UTF-8 file with one damaged byte holds many sequences and few bad bytes, a Latin-1
 * file the other way round. The stream is read to its end either way (unless the signal fires:
 * the signal's reason is thrown), then destroyed.
 */
export async function scanUtf8(stream: Readable, signal?: AbortSignal): Promise<Utf8Scan> {
  let carry: Buffer = Buffer.alloc(0);
  let at = 0; // offset of buf[0] in the stream
  let sequences = 0;
  let badBytes = 0;
  let firstBad = -1;
  let sample: { offset: number; bytes: Buffer } | undefined;
  const walk = (buf: Buffer, end: number) => {
    for (let i = 0; i < end; i++) {
      if (buf[i] < 0x80) continue;
      const n = sequenceAt(buf, i);
      if (n) {
        sequences++;
        sample ??= { offset: at + i, bytes: Buffer.from(buf.subarray(i, i + n)) };
        i += n - 1;
      } else {
        badBytes++;
        if (firstBad < 0) firstBad = at + i;
      }
    }
  };
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      const buf = carry.length ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
      const keep = incompleteTail(buf);
      const body = buf.subarray(0, buf.length - keep);
      if (firstBad < 0 && isUtf8(body)) {
        // Valid so far: count its sequences by their lead bytes, walking only chunks that have any.
        if (!isAscii(body)) {
          if (!sample) walk(body, body.length);
          else for (let i = 0; i < body.length; i++) if (body[i] >= 0xc0) sequences++;
        }
      } else walk(body, body.length);
      at += body.length;
      carry = Buffer.from(buf.subarray(buf.length - keep));
    }
    if (carry.length) walk(carry, carry.length);
  } finally {
    stream.destroy();
  }
  if (firstBad < 0) return { utf8: true };
  return { utf8: false, firstBad, badBytes, sequences, sample };
}
