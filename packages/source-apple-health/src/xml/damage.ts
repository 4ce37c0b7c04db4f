import { FileImportError } from '@bronze/core';
import type { XmlObject } from './element-types.js';

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

/**
 * Byte offsets of positions in the text handed to the parser, one slice at a time:
 * saxes counts UTF-16 units of the text, the file is UTF-8 bytes. Exact for UTF-8 input;
 * past bytes that were not UTF-8 (read as U+FFFD, 3 bytes) it counts the U+FFFD's bytes.
 */
export class SliceOffsets {
  private chars = 0;
  private bytes = 0;
  private text = '';

  /** The text about to be parsed; call before parser.write. */
  next(text: string): void {
    this.chars += this.text.length;
    this.bytes += Buffer.byteLength(this.text);
    this.text = text;
  }

  /** Byte offset of the character at `position` (a position in the current slice or just after it). */
  byteAt(position: number): number {
    const inSlice = Math.max(0, position - this.chars);
    return this.bytes + Buffer.byteLength(this.text.slice(0, inSlice));
  }

  /** Whether `position` lies in the current slice (its byte offset can be computed). */
  holds(position: number): boolean {
    return position >= this.chars;
  }
}
