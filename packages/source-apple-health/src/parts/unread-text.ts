import type { Readable } from 'node:stream';
import { emit, textOrBase64, type Emitted } from '@bronze/core';
import { DamageKept, XmlDamage } from '../xml/damage.js';

/** Bytes of a damaged file's unread text one row holds: a long rest is stored in several rows. */
export const UNREAD_ROW_BYTES = 1 << 20;

/** Text of a damaged file that no element holds: bytes [from_byte, to_byte), as UTF-8 text, else base64. */
export interface UnreadText {
  file: string;
  from_byte: number;
  to_byte: number;
  text?: string;
  base64?: string;
}


/** Where to cut `buf` at most at `max` bytes without splitting a UTF-8 character (a continuation byte is 10xxxxxx). */
function cutAt(buf: Buffer, max: number): number {
  if (buf.length <= max) return buf.length;
  let at = max;
  while (at > max - 4 && (buf[at] & 0xc0) === 0x80) at--;
  return at > max - 4 ? at : max;
}

/**
 * The part's bytes from offset `from` to its end, in pieces of at most UNREAD_ROW_BYTES
 * (memory: one read chunk plus one piece), the part read again from its start.
 */
export async function* unreadPieces(input: Readable, file: string, from: number): AsyncIterable<UnreadText> {
  let offset = 0;
  let pending: Buffer = Buffer.alloc(0);
  let pendingFrom = from;
  const piece = (bytes: Buffer): UnreadText => ({ file, from_byte: pendingFrom, to_byte: pendingFrom + bytes.length, ...textOrBase64(bytes) });
  for await (const chunk of input) {
    const buf = chunk as Buffer;
    const start = Math.max(0, from - offset);
    offset += buf.length;
    if (start >= buf.length) continue;
    pending = pending.length ? Buffer.concat([pending, buf.subarray(start)]) : buf.subarray(start);
    while (pending.length > UNREAD_ROW_BYTES) {
      const at = cutAt(pending, UNREAD_ROW_BYTES);
      yield piece(pending.subarray(0, at));
      pendingFrom += at;
      pending = pending.subarray(at);
    }
  }
  if (pending.length) yield piece(pending);
}

/**
 * Reads a part's elements; when its XML breaks, stores the text no element holds (from
 * the end of the last complete element to the end of the file) in invalid rows of
 * `stream`, read again from the start, then throws DamageKept: nothing of the file is lost.
 */
export async function* keepingUnreadText(
  elements: AsyncIterable<Emitted>,
  file: string,
  reopen: () => Readable | Promise<Readable>,
  row: UnreadRow,
  metadata: Record<string, unknown>,
): AsyncIterable<Emitted> {
  try {
    yield* elements;
  } catch (err) {
    if (!(err instanceof XmlDamage)) throw err;
    yield* unreadRows(err, file, reopen, row, metadata);
    throw new DamageKept(err);
  }
}

export type UnreadRow = (unread: UnreadText) => { record: unknown; stream: string };

/**
 * The invalid rows holding a damaged part's text after its last complete element (the
 * part read again from its start). A reader whose elements are many (export.xml) calls it
 * from its own catch rather than through keepingUnreadText: every layer of async
 * generators costs each element a promise.
 */
export async function* unreadRows(err: XmlDamage, file: string, reopen: () => Readable | Promise<Readable>, row: UnreadRow, metadata: Record<string, unknown>): AsyncIterable<Emitted> {
  const why = `${err.message}; this row holds the file's text from the end of its last complete element on, which no other row holds`;
  for await (const unread of unreadPieces(await reopen(), file, err.damage.unreadFrom)) {
    const { record, stream } = row(unread);
    const where = { from_byte: unread.from_byte, to_byte: unread.to_byte };
    yield emit(record, { stream, metadata: { ...metadata, ...where }, invalid: why, rawId: `unread:${file}@${unread.from_byte}` });
  }
}
