import type { Readable } from 'node:stream';
import { emit, textOrBase64, type Emitted } from '@bronze/core';
import { DamageKept, XmlDamage } from '../xml/damage.js';
import { EncodingNotRead } from '../xml/xml-decoder.js';

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
  yield* unreadUntilResume(input, file, from, Number.POSITIVE_INFINITY);
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

/** Where reading resumes after damage: a line's first byte, its number, and the part's bytes from there. */
export interface ResumePoint {
  byte: number;
  line: number;
  rest: AsyncIterable<Buffer>;
}

/** How the file indents HealthData's children, from the first of them (Apple: one space; other writers: two, four, a tab). */
const FIRST_CHILD = /\n([ \t]+)<(?:ExportDate|Me|Record|Workout|Correlation|ActivitySummary|ClinicalRecord)[\s/>]/;

/**
 * Reads a damaged part again from its start. Yields its text from byte `from` up to the first
 * line after byte `after` that opens a top-level element (indented as the file's first one, a
 * capital letter after `<`), in pieces of at most UNREAD_ROW_BYTES, and returns that line with
 * the rest of the part (one pass, however far the line is); without such a line, the text to
 * the end, and undefined.
 */
export async function* unreadUntilResume(input: Readable, file: string, from: number, after: number): AsyncGenerator<UnreadText, ResumePoint | undefined> {
  const chunks = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // The text not yet in a piece, as the chunks it came in (one copy per piece, whatever the chunks' size).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let pendingFrom = from;
  let line = 1;
  /** Bytes of the part before `carry`: the last bytes of a chunk, kept until the next shows what follows them. */
  let offset = 0;
  let carry: Buffer = Buffer.alloc(0);
  const piece = (bytes: Buffer): UnreadText => ({ file, from_byte: pendingFrom, to_byte: pendingFrom + bytes.length, ...textOrBase64(bytes) });
  function* take(bytes: Buffer): Generator<UnreadText> {
    for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) line++;
    const start = Math.max(0, from - offset);
    offset += bytes.length;
    if (start >= bytes.length) return;
    pending.push(bytes.subarray(start));
    pendingBytes += bytes.length - start;
    while (pendingBytes > UNREAD_ROW_BYTES) {
      const all = Buffer.concat(pending);
      const at = cutAt(all, UNREAD_ROW_BYTES);
      yield piece(all.subarray(0, at));
      pendingFrom += at;
      pending = [all.subarray(at)];
      pendingBytes = all.length - at;
    }
  }
  const rest = () => (pendingBytes ? [piece(Buffer.concat(pending))] : []);
  let topLevelLine: Buffer | undefined;
  let head = '';
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    const joined = carry.length ? Buffer.concat([carry, next.value]) : next.value;
    if (!topLevelLine) {
      // The indentation of the file's first child of HealthData, within its first 64 KiB.
      head += next.value.subarray(0, Math.max(0, (1 << 16) - head.length)).toString('latin1');
      const indent = FIRST_CHILD.exec(head)?.[1];
      if (indent !== undefined || head.length >= 1 << 16 || offset + joined.length > after) topLevelLine = Buffer.from(`\n${indent ?? ' '}<`, 'latin1');
      else {
        carry = Buffer.alloc(0);
        yield* take(joined);
        continue;
      }
    }
    const n = topLevelLine.length;
    let i = joined.indexOf(topLevelLine, Math.max(0, after - offset));
    for (; i >= 0 && i + n < joined.length; i = joined.indexOf(topLevelLine, i + 1)) if (joined[i + n] >= 0x41 && joined[i + n] <= 0x5a) break;
    if (i >= 0 && i + n < joined.length) {
      yield* take(joined.subarray(0, i + 1));
      yield* rest();
      const byte = offset;
      const resumed = joined.subarray(i + 1);
      const onwards = async function* () {
        yield resumed;
        for (let c = await chunks.next(); !c.done; c = await chunks.next()) yield c.value;
      };
      return { byte, line, rest: onwards() };
    }
    const keep = Math.min(n, joined.length);
    yield* take(joined.subarray(0, joined.length - keep));
    carry = Buffer.from(joined.subarray(joined.length - keep));
  }
  yield* take(carry);
  yield* rest();
  return undefined;
}

export type UnreadRow = (unread: UnreadText) => { record: unknown; stream: string };

/**
 * The invalid rows holding the text of a damaged part from its last complete element to the
 * next line that opens an element (the part read again from its start, once); returns that
 * line, where reading resumes, or undefined when the rest of the part is kept.
 */
export async function* unreadRowsUntilResume(
  err: XmlDamage,
  file: string,
  reopen: () => Readable | Promise<Readable>,
  row: UnreadRow,
  metadata: Record<string, unknown>,
): AsyncGenerator<Emitted, ResumePoint | undefined> {
  const why = `${err.message}; this row holds the file's text from the end of its last complete element to the next line that opens an element (or the end of the file), which no other row holds`;
  const pieces = unreadUntilResume(await reopen(), file, err.damage.unreadFrom, err.damage.byte);
  for (let next = await pieces.next(); ; next = await pieces.next()) {
    if (next.done) return next.value;
    yield unreadRow(next.value, why, row, metadata);
  }
}

function unreadRow(unread: UnreadText, why: string, row: UnreadRow, metadata: Record<string, unknown>): Emitted {
  const { record, stream } = row(unread);
  const where = { from_byte: unread.from_byte, to_byte: unread.to_byte };
  return emit(record, { stream, metadata: { ...metadata, ...where }, invalid: why, rawId: `unread:${unread.file}@${unread.from_byte}` });
}

/**
 * The invalid rows holding a damaged part's text after its last complete element (the
 * part read again from its start). A reader whose elements are many (export.xml) calls it
 * from its own catch rather than through keepingUnreadText: every layer of async
 * generators costs each element a promise.
 */
export async function* unreadRows(err: XmlDamage, file: string, reopen: () => Readable | Promise<Readable>, row: UnreadRow, metadata: Record<string, unknown>): AsyncIterable<Emitted> {
  const why = err instanceof EncodingNotRead
    ? `${err.message}; this row holds the file's bytes as they are`
    : `${err.message}; this row holds the file's text from the end of its last complete element on, which no other row holds`;
  for await (const unread of unreadPieces(await reopen(), file, err.damage.unreadFrom)) yield unreadRow(unread, why, row, metadata);
}
