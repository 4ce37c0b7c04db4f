import { createHash, type Hash } from 'node:crypto';
import { emit, utf8Text, type Emitted } from '@bronze/core';
import { where, type TakeoutFile } from './entry.js';

/**
 * The line Gmail's export starts each message with: `From <Gmail's message id>@xxx <date>`,
 * e.g. `From 1773664405479613283@xxx Tue Aug 08 12:36:29 +0000 2023`.
 */
export const GMAIL_SEPARATOR = /^From (\d{1,20})@xxx ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d [+-]\d{4} \d{4})\r?$/;

/** A message's bytes kept in its row; beyond this only its size and sha256 (memory holds one message). */
export const MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

/** Longer lines cannot be a separator: they are body, however they go on. */
const MAX_SEPARATOR_BYTES = 120;
const FROM_ = Buffer.from('From ');

/** One message of the mbox: its separator line, then every byte up to the next one. */
export interface MailRecord {
  path: string;
  /** The separator line as written, without its `\n` (null: bytes before the first separator). */
  separator: string | null;
  /** The message's bytes as UTF-8 text, exactly (header, blank line, body, the blank line Gmail ends it with). */
  message?: string;
  /** The same bytes in base64 when they are not UTF-8 (an 8-bit body in another charset). */
  message_base64?: string;
  /** A message over MAX_MESSAGE_BYTES: its size and sha256 instead of its bytes. */
  size?: number;
  sha256?: string;
}

class Message {
  readonly parts: Buffer[] = [];
  readonly hash: Hash = createHash('sha256');
  size = 0;

  constructor(readonly separator: string | null) {}

  add(bytes: Buffer): void {
    this.size += bytes.length;
    this.hash.update(bytes);
    if (this.size <= MAX_MESSAGE_BYTES) this.parts.push(bytes);
    else this.parts.length = 0;
  }
}

/**
 * The messages of a Gmail mbox (`Takeout/Mail/*.mbox`), streamed: one row per message, its
 * separator line and its bytes exactly as written (nothing unescaped, nothing decoded), so the
 * rows' separators and messages, joined with `\n`, give the file back. Bytes before the first
 * separator are a row of their own, `invalid`. Memory: one message (up to MAX_MESSAGE_BYTES).
 */
export async function* readMbox(f: TakeoutFile): AsyncIterable<Emitted> {
  let current: Message | undefined;
  let index = 0;
  /** The start of a line the chunk cut (short enough to be a separator). */
  let carry: Buffer | undefined;
  /** In a line too long to be a separator: body up to its end. */
  let midLine = false;
  const finished: Emitted[] = [];

  const body = (bytes: Buffer) => {
    if (!current) current = new Message(null);
    current.add(bytes);
  };
  const line = (bytes: Buffer) => {
    if (bytes.length <= MAX_SEPARATOR_BYTES && bytes.subarray(0, 5).equals(FROM_)) {
      const text = bytes.toString('latin1').replace(/\n$/, '');
      if (GMAIL_SEPARATOR.test(text)) {
        if (current) finished.push(row(f, current, index++));
        current = new Message(text);
        return;
      }
    }
    body(bytes);
  };

  for await (const chunk of await f.open()) {
    const buf = chunk as Buffer;
    let i = 0;
    while (i < buf.length) {
      const nl = buf.indexOf(10, i);
      const end = nl < 0 ? buf.length : nl + 1;
      if (midLine) {
        body(buf.subarray(i, end));
        midLine = nl < 0;
      } else {
        const piece = carry ? Buffer.concat([carry, buf.subarray(i, end)]) : buf.subarray(i, end);
        carry = undefined;
        if (nl >= 0) line(piece);
        else if (piece.length <= MAX_SEPARATOR_BYTES) carry = Buffer.from(piece);
        else {
          body(piece);
          midLine = true;
        }
      }
      i = end;
    }
    yield* finished.splice(0);
  }
  // A last line without its newline is body, even one that reads as a separator: a row
  // stores a separator's line ending as `\n` between it and its message, which it lacks.
  if (carry) body(carry);
  yield* finished.splice(0);
  if (current) yield row(f, current, index);
}

function row(f: TakeoutFile, m: Message, index: number): Emitted {
  const record: MailRecord = { path: f.path, separator: m.separator };
  let invalid: string | undefined;
  if (m.size > MAX_MESSAGE_BYTES) {
    record.size = m.size;
    record.sha256 = m.hash.digest('hex');
    invalid = `message of ${m.size.toLocaleString('en-US')} bytes, over the ${MAX_MESSAGE_BYTES / 2 ** 20} MiB bronze keeps per message: its size and sha256 are stored, not its bytes`;
  } else {
    const bytes = Buffer.concat(m.parts);
    const text = utf8Text(bytes);
    if (text === undefined) record.message_base64 = bytes.toString('base64');
    else record.message = text;
  }
  if (m.separator === null) {
    invalid = `${invalid ? `${invalid}; ` : ''}bytes before the first message's separator line (From <id>@xxx <date>): stored as written`;
  }
  return emit(record, { stream: 'mail', metadata: where(f, { index }), ...(invalid ? { invalid } : {}) });
}
