/**
 * Core's `readJsonArrays` splits the arrays of the top-level keys it is told, and a
 * top-level array. A JSON file no stream knows has keys nobody can list in advance
 * (`Browser History`, a German export's names), so the first read of such a file (the one
 * that hashes it) also walks its bytes to learn them: which top-level members hold an
 * array, and how many bytes those arrays take. What is left (the rest document) is held
 * whole by the splitter, so the caller splits only when that rest is small.
 *
 * Only structure is tracked (strings, escapes, brackets); the bytes are not validated: the
 * splitter finds any damage on its own read. Assumes an ASCII-compatible encoding (UTF-8,
 * as Google writes); other bytes leave nothing to split.
 */
export const MAX_SPLIT_KEYS = 10_000;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

export interface JsonOutlineResult {
  /** The document is an array: its elements are split (core splits a top-level array whole). */
  topArray: boolean;
  /** Top-level members whose value is an array, by name (at most MAX_SPLIT_KEYS + 1 kept). */
  keys: string[];
  /** Bytes of the arrays that are split; the rest of the file is what the splitter holds. */
  arrayBytes: number;
}

export class JsonOutline {
  private depth = 0;
  private root: 'object' | 'array' | 'other' | undefined;
  private inString = false;
  private escaped = false;
  /** At depth 1 of the root object, the next string is a member name. */
  private expectKey = false;
  private keyParts: Buffer[] | undefined;
  /** The member whose value comes next (its name was read, its value not yet). */
  private member: string | undefined;
  /** Where the array being measured starts. */
  private arrayStart = -1;
  private offset = 0;
  private readonly keys = new Set<string>();
  private arrayBytes = 0;

  feed(buf: Buffer): void {
    let keyStart = 0;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.keyParts) {
            this.keyParts.push(buf.subarray(keyStart, i));
            this.member = decodeKey(Buffer.concat(this.keyParts));
            this.keyParts = undefined;
          }
        }
        continue;
      }
      if (WHITESPACE.has(c) || (c === 0x3a && this.depth === 1)) continue; // ':' keeps the member pending
      this.significant(c, this.offset + i);
      if (c === QUOTE && this.keyParts) keyStart = i + 1;
    }
    if (this.keyParts) this.keyParts.push(buf.subarray(keyStart));
    this.offset += buf.length;
  }

  private significant(c: number, at: number): void {
    const open = c === 0x7b || c === 0x5b; // { [
    const close = c === 0x7d || c === 0x5d; // } ]
    if (this.depth === 0 && this.root === undefined) {
      this.root = c === 0x7b ? 'object' : c === 0x5b ? 'array' : 'other';
      if (this.root === 'array') this.arrayStart = at;
      if (this.root === 'object') this.expectKey = true;
    } else if (this.depth === 1 && this.root === 'object') {
      if (c === QUOTE && this.expectKey) {
        this.keyParts = [];
        this.expectKey = false;
      } else if (c === 0x2c) {
        this.expectKey = true; // ','
        this.member = undefined;
      } else if (this.member !== undefined) {
        if (c === 0x5b) {
          this.arrayStart = at;
          if (this.keys.size <= MAX_SPLIT_KEYS) this.keys.add(this.member);
        }
        this.member = undefined;
      }
    }
    if (c === QUOTE) this.inString = true;
    if (open) this.depth++;
    if (close) {
      this.depth--;
      const arrayDepth = this.root === 'array' ? 0 : 1;
      if (c === 0x5d && this.arrayStart >= 0 && this.depth === arrayDepth) {
        this.arrayBytes += at - this.arrayStart + 1;
        this.arrayStart = -1;
      }
    }
  }

  result(): JsonOutlineResult {
    // An array still open at the end (a file cut short) is split up to the damage, which the splitter reports.
    const open = this.arrayStart >= 0 ? this.offset - this.arrayStart : 0;
    return { topArray: this.root === 'array', keys: [...this.keys], arrayBytes: this.arrayBytes + open };
  }
}

/** A member name as the JSON parser reads it (escapes decoded); its bytes as text if they are not a valid JSON string. */
function decodeKey(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}
