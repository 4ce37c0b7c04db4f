import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';
import { declaredXmlEncoding, decodeWindows1252, encodingName } from '@bronze/core';
import { XmlDamage } from './damage.js';
import { declaredEncodingDecoder, firstBytesNotIn, readsAsciiAsItself } from './declared-encoding.js';

/**
 * The encodings an XML part is read in (`UTF-8` unless its first bytes say otherwise); any
 * other is a name Node's TextDecoder knows (`shift_jis`, `iso-8859-5`: declared-encoding.ts).
 */
export type XmlEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'windows-1252' | (string & {});

/** How an XML part's bytes become the text the parser reads, and how many bytes a text took. */
export interface XmlDecoder {
  /** Named by the warning about bytes it could not decode, and kept for reading on after damage. */
  encoding: XmlEncoding;
  write(bytes: Buffer): string;
  end(): string;
  /**
   * Bytes `text` was decoded from (exact, U+FFFD counted as the bytes it stands for in valid
   * input); `at`, the position of its first character among those handed to the parser, is
   * needed where the width of a character is not a rule of the character (declared-encoding.ts).
   */
  byteLength(text: string, at?: number): number;
  /**
   * How a literal U+FFFD is spelled in these bytes: decoded U+FFFD beyond these replaced bytes.
   * Absent for windows-1252: every byte is a character there, none is ever replaced by U+FFFD
   * (and no byte spells U+FFFD), so a U+FFFD in the text never stands for bytes.
   */
  replacementBytes?: Buffer;
}

/** Bytes a declaration is looked for in (`<?xml version="1.0" encoding="ISO-8859-1"?>` is 44). */
const HEAD_BYTES = 1024;

/** An XML part that declares an encoding bronze does not read: none of its text is read, every byte kept. */
export class EncodingNotRead extends XmlDamage {}

/**
 * UTF-16 by the part's first bytes (XML 1.0 Appendix F): its byte order mark, or, without one (an
 * editor's "Unicode" saved without it), `<?` as 16-bit units, `3C 00 3F 00` (LE) or `00 3C 00 3F`
 * (BE). Any other ASCII start of XML (`<H`, white space) is taken the same way: a NUL byte can be
 * no part of XML in UTF-8, so no UTF-8 file is read as UTF-16 by it.
 */
export function utf16Order(first: Buffer): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (first[0] === 0xff && first[1] === 0xfe) return 'UTF-16LE';
  if (first[0] === 0xfe && first[1] === 0xff) return 'UTF-16BE';
  if (first.length < 4) return undefined;
  const opens = (b: number) => b === 0x3c || b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
  const ascii = (b: number) => b > 0 && b < 0x80;
  if (opens(first[0]) && first[1] === 0 && ascii(first[2]) && first[3] === 0) return 'UTF-16LE';
  if (first[0] === 0 && opens(first[1]) && first[2] === 0 && ascii(first[3])) return 'UTF-16BE';
  return undefined;
}

/**
 * The encoding of a part whose first bytes are `first` (XML 1.0 §4.3.3, Appendix F): UTF-16 when
 * they say so (utf16Order; read as UTF-8, every element of such an export.xml was stored as
 * unread text); else windows-1252 when the XML declaration says so by one of its labels
 * (`ISO-8859-1`, `windows-1252`, `US-ASCII`…: a file saved again by hand; read as UTF-8, its `ö`
 * became U+FFFD); else the encoding it declares when Node's TextDecoder reads it (`shift_jis`,
 * `iso-8859-5`, `koi8-r`, `gb18030`: readsAsciiAsItself); else UTF-8. `{ declared }`: the
 * declaration names an encoding no decoder here reads (`ISO-2022-JP`, an unknown label), which
 * is not read as UTF-8.
 */
export function xmlEncoding(first: Buffer): XmlEncoding | { declared: string } {
  const utf16 = utf16Order(first);
  if (utf16) return utf16;
  const declared = declaredXmlEncoding(first.subarray(0, HEAD_BYTES).toString('latin1'));
  if (declared === undefined) return 'UTF-8';
  // The label as the WHATWG Encoding Standard (every browser) reads it: ISO-8859-1, latin1,
  // US-ASCII… are windows-1252. A file readable as ASCII that says UTF-16 was saved as
  // something else, UTF-8 usually: read as before.
  const name = knownEncoding(declared);
  if (name === 'windows-1252') return 'windows-1252';
  if (name === 'utf-8' || name === 'utf-16le' || name === 'utf-16be') return 'UTF-8';
  return name !== undefined && readsAsciiAsItself(name) ? name : { declared };
}

/** encodingName, undefined for a label no decoder knows. */
function knownEncoding(label: string): string | undefined {
  try {
    return encodingName(label);
  } catch {
    return undefined;
  }
}

/**
 * The decoder for an encoding. UTF-16's mark is kept in the text, as U+FEFF (the parser skips
 * it), so byte offsets stay exact. windows-1252 by core's table, never Node's TextDecoder
 * (Node 20.18.3+ reads 0x80–0x9F as control characters: nodejs/node#56542): one byte is one
 * character, so a slice needs no state across chunks and a text's bytes are its length. Any
 * other encoding: declaredEncodingDecoder (`charsBefore` is for it).
 */
export function xmlDecoder(encoding: XmlEncoding, charsBefore = 0): XmlDecoder {
  if (encoding === 'UTF-8') {
    const utf8 = new StringDecoder('utf8');
    return { encoding, write: (b) => utf8.write(b), end: () => utf8.end(), byteLength: (t) => Buffer.byteLength(t), replacementBytes: Buffer.from('\uFFFD') };
  }
  if (encoding === 'windows-1252') return { encoding, write: (b) => decodeWindows1252(b), end: () => '', byteLength: (t) => t.length };
  if (encoding !== 'UTF-16LE' && encoding !== 'UTF-16BE') return declaredEncodingDecoder(encoding, charsBefore);
  const decoder = new TextDecoder(encoding.toLowerCase(), { ignoreBOM: true });
  return {
    encoding,
    write: (b) => decoder.decode(b, { stream: true }),
    end: () => decoder.decode(),
    // Two bytes per UTF-16 code unit; a character beyond U+FFFF is two units, four bytes.
    byteLength: (t) => 2 * t.length,
    replacementBytes: encoding === 'UTF-16LE' ? Buffer.from([0xfd, 0xff]) : Buffer.from([0xff, 0xfd]),
  };
}

/**
 * The decoder for the part `label` whose first bytes (the XML declaration whole:
 * withDeclarationWhole) are `first`; EncodingNotRead, naming the declared encoding, when it is
 * one bronze does not read: read as UTF-8 its characters would be stored altered (U+FFFD).
 */
export function partDecoder(first: Buffer, label: string): XmlDecoder {
  const encoding = xmlEncoding(first);
  if (typeof encoding === 'string') return xmlDecoder(encoding);
  const why = `its XML declaration says encoding="${encoding.declared}", which bronze does not read (it reads UTF-8, UTF-16, windows-1252 under its labels ISO-8859-1, latin1, US-ASCII…, and the encodings of the WHATWG Encoding Standard that keep ASCII as it is, such as Shift_JIS, ISO-8859-5, KOI8-R, GB18030); none of its text is read, so that no character of it is altered: save the file as UTF-8 to import its elements`;
  throw new EncodingNotRead(label, why, { line: 1, column: 0, byte: 0, unreadFrom: 0 });
}

/** The part read again from its start. */
export type ReadAgain = () => AsyncIterable<Buffer | string> | Iterable<Buffer | string> | Promise<AsyncIterable<Buffer | string>>;

/**
 * partDecoder, and for an encoding read through TextDecoder (declared-encoding.ts) the part read
 * whole once first (`readAgain`), before any of its elements is handed over: bytes that are not
 * valid in the declared encoding make none of it read (EncodingNotRead, naming the encoding and
 * the byte), as for an encoding not read at all, instead of some elements stored and the rest
 * kept as text. Without `readAgain`, such bytes are found while reading (BytesNotInEncoding).
 */
export async function checkedPartDecoder(first: Buffer, label: string, readAgain: ReadAgain | undefined): Promise<XmlDecoder> {
  const decoder = partDecoder(first, label);
  // Only a TextDecoder encoding can hold bytes that are invalid in it and not replaced by U+FFFD.
  if (!readAgain || ['UTF-8', 'UTF-16LE', 'UTF-16BE', 'windows-1252'].includes(decoder.encoding)) return decoder;
  const invalid = await firstBytesNotIn(await readAgain(), decoder.encoding);
  if (!invalid) return decoder;
  const declared = declaredXmlEncoding(first.subarray(0, HEAD_BYTES).toString('latin1'));
  const why = `its XML declaration says encoding="${declared}", but its bytes from byte ${invalid.byte.toLocaleString('en-US')} on are not ${declared}; none of its text is read, so that no character of it is altered (such bytes would be read as U+FFFD): save the file again as ${declared} or as UTF-8 to import its elements`;
  throw new EncodingNotRead(label, why, { line: 1, column: 0, byte: invalid.byte, unreadFrom: 0 });
}

/**
 * The input with the XML declaration whole in its first chunk: a stream may hand over its
 * first bytes in pieces, and a declaration cut in two would read a Latin-1 part as UTF-8.
 * Chunks are joined only while they can be the start of a declaration not yet closed.
 */
export async function* withDeclarationWhole(input: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncIterable<Buffer | string> {
  let head: Buffer | undefined = Buffer.alloc(0);
  for await (const chunk of input) {
    if (!head) {
      yield chunk;
      continue;
    }
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    head = head.length ? Buffer.concat([head, buf]) : buf;
    if (unclosed(head)) continue;
    yield head;
    head = undefined;
  }
  if (head?.length) yield head;
}

/** Whether `head` may be the start of a declaration that the next bytes complete; or shorter than the four bytes utf16Order reads. */
function unclosed(head: Buffer): boolean {
  if (head.length < 4) return true;
  return head.length < HEAD_BYTES && !head.includes(0x3e) && '<?xml'.startsWith(head.subarray(0, 5).toString('latin1'));
}
