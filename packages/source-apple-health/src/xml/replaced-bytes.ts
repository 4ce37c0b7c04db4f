import type { XmlObject } from './element-types.js';

/**
 * Bytes of the input that were not UTF-8 and were decoded as U+FFFD, followed to the
 * elements that hold them: a change to the text, so such a record is stored with a warning
 * naming the byte range (docs/values.md), never silently as valid.
 */
export class ReplacedBytes {
  /** U+FFFD characters decoded from bytes that were not UTF-8 and not yet found in an element. */
  private pending = 0;
  private note = '';

  /** A slice just decoded: `piece` its bytes, `text` what the decoder made of them, `end` the byte after it. */
  observe(piece: Buffer, text: string, end: number): void {
    // More U+FFFD than the slice spells out as bytes (EF BF BD): the decoder replaced bytes.
    const replaced = text.includes('\uFFFD') ? count(text, '\uFFFD') - countBytes(piece) : 0;
    if (replaced <= 0) return;
    this.pending += replaced;
    this.note = `bytes that are not UTF-8, within bytes ${(end - piece.length).toLocaleString('en-US')}–${end.toLocaleString('en-US')}, were read as U+FFFD`;
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

const REPLACEMENT_BYTES = Buffer.from('\uFFFD', 'utf8');
function countBytes(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(REPLACEMENT_BYTES); i >= 0; i = buf.indexOf(REPLACEMENT_BYTES, i + 1)) n++;
  return n;
}
