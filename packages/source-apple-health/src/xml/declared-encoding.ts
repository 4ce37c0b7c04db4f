import { TextDecoder } from 'node:util';
import type { XmlDecoder } from './xml-decoder.js';

/**
 * Decoding a part whose XML declaration names an encoding other than UTF-8, UTF-16 and
 * windows-1252 (`Shift_JIS`, `ISO-8859-5`, `KOI8-R`, `GB18030`), through Node's TextDecoder
 * (ICU). Strictly: a byte sequence that is not valid in the encoding is an error, never U+FFFD.
 */

/** Decoded characters whose byte widths are kept: far more than SliceOffsets asks about (a slice and the text before it). */
const KEPT_CHARS = 1 << 18;

/** Bytes of a part that are not valid in its declared encoding; `byte` the part's offset where the invalid sequence starts. */
export class BytesNotInEncoding extends Error {
  constructor(
    readonly encoding: string,
    readonly byte: number,
  ) {
    super(`bytes that are not ${encoding}, from byte ${byte.toLocaleString('en-US')}`);
  }
}

/** The ASCII that XML's markup and text are written in: tab, line feed, carriage return, space to `~`. */
const XML_ASCII = Buffer.from([0x09, 0x0a, 0x0d, ...Array.from({ length: 0x5f }, (_, i) => 0x20 + i)]);

/**
 * Whether Node's TextDecoder knows `encoding` and reads XML's ASCII as itself. The reader relies
 * on it: the declaration is found in the file's first bytes read as ASCII, runs of ASCII are
 * copied without the decoder, and reading resumes after a damage at a line's start. ISO-2022-JP
 * is not such an encoding: its escape sequences make ASCII bytes two-byte characters. (ICU's
 * Shift_JIS and IBM866 swap the control bytes 0x1A, 0x1C and 0x7F, IBM's convention; copied, they
 * are read as the WHATWG Encoding Standard reads them, as themselves.)
 */
export function readsAsciiAsItself(encoding: string): boolean {
  if (encoding === 'iso-2022-jp') return false;
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(XML_ASCII) === XML_ASCII.toString('latin1');
  } catch {
    return false;
  }
}

/**
 * The decoder for a declared `encoding` (a name TextDecoder knows, readsAsciiAsItself).
 * Saxes counts UTF-16 units, the file is bytes of varying width (1 to 4 in GB18030), and no
 * rule per character gives the width (GB18030 writes € as 0x80 and as A2 E3): so each character
 * is decoded alone and the width of every one that is not one byte per unit is kept, by its
 * position among the characters handed to the parser (`charsBefore` of them not decoded here: a
 * resumed reading's `<HealthData>`). ASCII between them is copied as is: at a character's start
 * a byte below 0x80 is that ASCII character in every such encoding. Throws BytesNotInEncoding.
 */
export function declaredEncodingDecoder(encoding: string, charsBefore = 0): XmlDecoder {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const one = new Uint8Array(1);
  /** Bytes given to the decoder whose character it has not completed yet. */
  let pending = 0;
  /** Bytes written before the current write; characters produced before it (with charsBefore). */
  let written = 0;
  let produced = charsBefore;
  /** Positions of the characters whose bytes are not one per UTF-16 unit, and their bytes beyond that. */
  let positions: number[] = [];
  let extras: number[] = [];
  const keep = (at: number, text: string, bytes: number) => {
    if (bytes === text.length) return;
    positions.push(at);
    extras.push(bytes - text.length);
  };
  const forget = () => {
    // Half of them at least, when the middle one is older than any position still asked about.
    if (positions.length < 4096 || positions[positions.length >> 1] >= produced - KEPT_CHARS) return;
    const from = firstAtOrAfter(positions, produced - KEPT_CHARS);
    positions = positions.slice(from);
    extras = extras.slice(from);
  };
  return {
    encoding,
    write(bytes) {
      let text = '';
      let asciiFrom = 0;
      for (let i = 0; i < bytes.length; i++) {
        if (pending === 0 && bytes[i] < 0x80) continue;
        if (asciiFrom < i) text += bytes.toString('latin1', asciiFrom, i);
        asciiFrom = i + 1;
        one[0] = bytes[i];
        let decoded: string;
        try {
          decoded = decoder.decode(one, { stream: true });
        } catch {
          throw new BytesNotInEncoding(encoding, written + i - pending);
        }
        pending++;
        if (!decoded) continue;
        keep(produced + text.length, decoded, pending);
        text += decoded;
        pending = 0;
      }
      if (asciiFrom < bytes.length) text += bytes.toString('latin1', asciiFrom);
      written += bytes.length;
      produced += text.length;
      forget();
      return text;
    },
    end() {
      let rest: string;
      try {
        rest = decoder.decode();
      } catch {
        throw new BytesNotInEncoding(encoding, written - pending);
      }
      keep(produced, rest, pending);
      produced += rest.length;
      return rest;
    },
    byteLength(text, at = 0) {
      let bytes = text.length;
      for (let k = firstAtOrAfter(positions, at); k < positions.length && positions[k] < at + text.length; k++) bytes += extras[k];
      return bytes;
    },
  };
}

/** Index of the first of the ascending `positions` at or after `at` (binary search). */
function firstAtOrAfter(positions: number[], at: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (positions[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first bytes of `input` not valid in `encoding`, or undefined when all of it decodes. */
export async function firstBytesNotIn(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, encoding: string): Promise<BytesNotInEncoding | undefined> {
  const decoder = declaredEncodingDecoder(encoding);
  try {
    for await (const chunk of input) decoder.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    decoder.end();
  } catch (err) {
    if (err instanceof BytesNotInEncoding) return err;
    throw err;
  }
  return undefined;
}
