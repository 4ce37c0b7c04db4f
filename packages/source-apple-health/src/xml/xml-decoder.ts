import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';

/** How an XML part's bytes become the text the parser reads, and how many bytes a text took. */
export interface XmlDecoder {
  /** `UTF-8`, `UTF-16LE` or `UTF-16BE`: named by the warning about bytes it could not decode. */
  encoding: string;
  write(bytes: Buffer): string;
  end(): string;
  /** Bytes `text` was decoded from (exact, U+FFFD counted as the bytes it stands for in valid input). */
  byteLength(text: string): number;
  /** How a literal U+FFFD is spelled in these bytes: decoded U+FFFD beyond these replaced bytes. */
  replacementBytes: Buffer;
}

/**
 * The decoder for a part whose first bytes are `first`: UTF-16 when they are its byte order
 * mark (XML requires every reader to take UTF-16 so, and a Windows editor saves "Unicode" so:
 * read as UTF-8, every element of such an export.xml was stored as unread text), else UTF-8.
 * The mark is kept in the text, as U+FEFF (the parser skips it), so byte offsets stay exact.
 */
export function xmlDecoder(first: Buffer): XmlDecoder {
  const utf16 = first[0] === 0xff && first[1] === 0xfe ? 'utf-16le' : first[0] === 0xfe && first[1] === 0xff ? 'utf-16be' : undefined;
  if (!utf16) {
    const utf8 = new StringDecoder('utf8');
    return { encoding: 'UTF-8', write: (b) => utf8.write(b), end: () => utf8.end(), byteLength: (t) => Buffer.byteLength(t), replacementBytes: Buffer.from('\uFFFD') };
  }
  const decoder = new TextDecoder(utf16, { ignoreBOM: true });
  return {
    encoding: utf16.toUpperCase(),
    write: (b) => decoder.decode(b, { stream: true }),
    end: () => decoder.decode(),
    // Two bytes per UTF-16 code unit; a character beyond U+FFFF is two units, four bytes.
    byteLength: (t) => 2 * t.length,
    replacementBytes: utf16 === 'utf-16le' ? Buffer.from([0xfd, 0xff]) : Buffer.from([0xff, 0xfd]),
  };
}
