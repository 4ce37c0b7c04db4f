import type { XmlObject } from './element-types.js';
import type { XmlDecoder } from './xml-decoder.js';

/**
 * Bytes of the input that were not UTF-8 (or UTF-16, xml-decoder.ts) and were decoded as U+FFFD, followed to the
 * elements that hold them: a change to the text, so such a record is stored with a warning
 * naming the byte range (docs/values.md), never silently as valid.
 */
export class ReplacedBytes {
  /** U+FFFD characters decoded from bytes that were not UTF-8 and not yet found in an element. */
  private pending = 0;
  private note = '';
  /**
   * The input's encoding and how a literal U+FFFD is spelled in it (UTF-8 until the first bytes
   * say otherwise); undefined when its decoder replaces no byte (windows-1252).
   */
  private encoding = 'UTF-8';
  private literal: Buffer | undefined = Buffer.from('\uFFFD');

  use(decoder: Pick<XmlDecoder, 'encoding' | 'replacementBytes'>): void {
    this.encoding = decoder.encoding;
    this.literal = decoder.replacementBytes;
  }

  /** A slice just decoded: `piece` its bytes, `text` what the decoder made of them, `end` the byte after it. */
  observe(piece: Buffer, text: string, end: number): void {
    // More U+FFFD than the slice spells out as bytes (EF BF BD in UTF-8): the decoder replaced bytes.
    if (!this.literal || !text.includes('\uFFFD')) return;
    const replaced = count(text, '\uFFFD') - countBytes(piece, this.literal, end - piece.length);
    if (replaced <= 0) return;
    this.pending += replaced;
    this.note = `bytes that are not ${this.encoding}, within bytes ${(end - piece.length).toLocaleString('en-US')}–${end.toLocaleString('en-US')}, were read as U+FFFD`;
  }

  /**
   * The warning for a completed element, if it holds replaced bytes: it holds U+FFFD (one
   * that spells it out as bytes too: a few marked too many when both meet, none missed).
   */
  warningFor(element: XmlObject): string | undefined {
    if (this.pending === 0) return undefined;
    const found = count(JSON.stringify(element), '\uFFFD');
    this.pending = Math.max(0, this.pending - found);
    return found ? this.note : undefined;
  }
}

function count(text: string, c: string): number {
  let n = 0;
  for (let i = text.indexOf(c); i >= 0; i = text.indexOf(c, i + 1)) n++;
  return n;
}

/** Occurrences of `literal` in `buf` (at `start` in the file); a UTF-16 code unit starts at an even byte. */
function countBytes(buf: Buffer, literal: Buffer, start: number): number {
  const aligned = (i: number) => literal.length !== 2 || (start + i) % 2 === 0;
  let n = 0;
  for (let i = buf.indexOf(literal); i >= 0; i = buf.indexOf(literal, i + 1)) if (aligned(i)) n++;
  return n;
}
