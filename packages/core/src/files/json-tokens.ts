import StreamJson from 'stream-json';
import type { ByteSource } from './byte-source.js';
import { openText } from './text-decoding.js';

export interface Token {
  name: string;
  value?: string;
}

/** Where the JSON broke: the line (1-based) and the byte range fed when the parser refused it. */
export class JsonDamage extends Error {
  constructor(readonly reason: string, readonly line: number, readonly fromByte: number, readonly toByte: number) {
    super(reason);
  }

  get where(): string {
    return `line ${this.line}${this.toByte - this.fromByte > 200 ? ` (bytes ${this.fromByte}–${this.toByte})` : ''}`;
  }
}

interface SyncParser {
  _transform(chunk: Buffer, encoding: string, callback: (err?: Error | null) => void): void;
  _flush(callback: (err?: Error | null) => void): void;
  push(token: unknown): boolean;
  /** Text not yet turned into tokens: the parser waits for more input near the end of a piece. */
  _buffer: string;
}

const newlines = (s: string) => {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * stream-json's tokens, fed one line (or up to 64 KB of a longer line) at a time and
 * driven synchronously: every token before the damage is delivered (a Readable would drop
 * the tokens of the chunk that failed), and the damage is a JsonDamage naming its line.
 */
export async function* jsonTokens(file: ByteSource, encoding?: string, note?: (text: string) => void): AsyncIterable<Token[]> {
  const parser = StreamJson.parser({ streamValues: false, streamKeys: false, streamStrings: false, streamNumbers: false }) as unknown as SyncParser;
  let tokens: Token[] = [];
  parser.push = (t: unknown) => {
    if (t !== null) tokens.push(t as Token);
    return true;
  };
  let line = 1;
  let offset = 0;
  let damage: JsonDamage | undefined;
  const feed = (piece: Buffer) => {
    let failure: Error | null | undefined;
    parser._transform(piece, 'buffer', (err) => (failure = err));
    if (failure) {
      // The parser may have held back the end of earlier lines (it waits when few characters
      // are left): the damage starts where its unconsumed text starts.
      const held = newlines(parser._buffer) - newlines(piece.toString('utf8'));
      damage = new JsonDamage(failure.message, line - Math.max(0, held), offset, offset + piece.length);
    }
    offset += piece.length;
  };
  for await (const data of await openText(file, encoding, note)) {
    const chunk = data as Buffer;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1 && !damage; nl = chunk.indexOf(10, start)) {
      feed(chunk.subarray(start, nl + 1));
      if (!damage) line++;
      start = nl + 1;
      if (tokens.length >= 1024) {
        yield tokens;
        tokens = [];
      }
    }
    if (start < chunk.length && !damage) feed(chunk.subarray(start));
    if (tokens.length) {
      yield tokens;
      tokens = [];
    }
    if (damage) throw damage;
  }
  let failure: Error | null | undefined;
  parser._flush((err) => (failure = err));
  if (tokens.length) yield tokens;
  if (failure) throw new JsonDamage(failure.message, line - newlines(parser._buffer), offset, offset);
}
