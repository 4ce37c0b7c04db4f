import { FileImportError } from '@bronze/core';
import type { XmlObject } from './element-types.js';
import type { XmlEncoding } from './xml-decoder.js';

/** Where an XML part broke, and what of it is not in the elements handed over before. */
export interface XmlDamageInfo {
  line: number;
  column: number;
  /** Offset (from 0) of the byte where the damage was read: the end of the file for a truncation. */
  byte: number;
  /**
   * Offset of the first byte not handed over as part of an element: right after the last
   * complete element (or container opening), 0 when none completed. The text from here on
   * is what the rows before the damage do not hold.
   */
  unreadFrom: number;
  /** The element open at the damage, as far as it was read (its line and name). */
  partial?: { name: string; line: number; value: XmlObject };
  /** The encoding the part was read in (xml-decoder.ts): reading on after the damage decodes the same way. UTF-8 when absent. */
  encoding?: XmlEncoding;
}

/**
 * A damaged part of which every byte is stored (the elements before the damage, and invalid
 * rows for the rest): thrown after those rows, so the export names it, but the import is
 * complete. Re-reading such a file would add nothing, run after run, and fail each time.
 */
export class DamageKept extends FileImportError {
  constructor(readonly original: FileImportError) {
    super(original.path, original.message.startsWith(`${original.path}: `) ? original.message.slice(original.path.length + 2) : original.message);
  }
}

/** An XML part that could not be read to its end: the message names line, column and byte. */
export class XmlDamage extends FileImportError {
  constructor(label: string, message: string, readonly damage: XmlDamageInfo) {
    super(label, message);
  }
}

/** Characters known before the current slice, whatever the slices' size: longer closing tags are hostile. */
const KNOWN_BEFORE = 4096;

/**
 * Byte offsets of positions in the text handed to the parser, one slice at a time:
 * saxes counts UTF-16 units of the text, the file is UTF-8 bytes (or UTF-16, windows-1252: `measure`).
 * Exact for valid input; past bytes that were not UTF-8 (read as U+FFFD, 3 bytes) it
 * counts the U+FFFD's bytes.
 * Positions in the current slice and in the text just before it (at least the last
 * KNOWN_BEFORE characters) are known: a closing tag may straddle slices.
 */
export class SliceOffsets {
  private chars = 0;
  private bytes = 0;
  private text = '';
  /** The text that ends where the current slice starts: the previous slice, or more when slices are short. */
  private previous = '';
  /**
   * Bytes a text was decoded from, `at` the position of its first character: UTF-8 unless the
   * input's first bytes say otherwise (xml-decoder.ts).
   */
  measure: (text: string, at: number) => number = (text) => Buffer.byteLength(text);

  /** The text about to be parsed; call before parser.write. */
  next(text: string): void {
    this.bytes += this.measure(this.text, this.chars);
    this.chars += this.text.length;
    // Grown while slices are short, cut back rarely: a copy per KNOWN_BEFORE characters at most.
    if (this.text.length >= KNOWN_BEFORE) this.previous = this.text;
    else {
      this.previous += this.text;
      if (this.previous.length > 2 * KNOWN_BEFORE) this.previous = this.previous.slice(-KNOWN_BEFORE);
    }
    this.text = text;
  }

  /** Byte offset of the character at `position` (one that `holds`, or just after the current slice). */
  byteAt(position: number): number {
    if (position < this.chars) {
      const fromPrevious = Math.min(this.previous.length, this.chars - position);
      return this.bytes - this.measure(this.previous.slice(this.previous.length - fromPrevious), this.chars - fromPrevious);
    }
    return this.bytes + this.measure(this.text.slice(0, position - this.chars), this.chars);
  }

  /** Whether `position` lies in the current slice or the text known before it (its byte offset can be computed). */
  holds(position: number): boolean {
    return position >= this.chars - this.previous.length;
  }

  /**
   * The closing tag that ends just before `end` (`</name>`, as written) and where it starts,
   * when it lies in the text known: `<` appears in a closing tag only as its first character.
   */
  closingTagBefore(end: number): { at: number; text: string } | undefined {
    const base = this.chars - this.previous.length;
    const known = this.previous + this.text.slice(0, Math.max(0, end - this.chars));
    const at = known.lastIndexOf('</');
    return at < 0 || end - base > known.length ? undefined : { at: base + at, text: known.slice(at, end - base) };
  }
}
