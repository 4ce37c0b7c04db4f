import type { SaxesParser } from 'saxes';

/** Characters XML 1.0 does not allow that saxes reads on (reporting each): C0 controls but tab and line ends, U+FFFE, U+FFFF. */
function isDisallowedChar(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) || code === 0xfffe || code === 0xffff;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Control characters in the text of an element (U+000B in iOS 16 exports, reported by
 * jameno/Simple-Apple-Health-XML-to-CSV#3). A conforming parser stops at the first one; here
 * the character stays in the text exactly as written and the element that holds it is stored
 * with a warning naming it, so one stray character does not leave the rest of the file unread.
 * saxes keeps such a character in the attribute value or text it reads after reporting it.
 * Between elements they are damage (the reader's onText), as before.
 */
export class DisallowedChars {
  private first = '';
  private count = 0;

  /** `position`: where the parser is, as the file's line and column (reading may have resumed after damage). */
  constructor(private readonly position: () => string) {}

  /** True when saxes' error is such a character (noted here); false for any other error, which stays fatal. */
  tolerate(parser: SaxesParser, message: string): boolean {
    if (!message.endsWith(': disallowed character.')) return false;
    // saxes' own position of the character it just read (not in its typings).
    const { chunk, prevI } = parser as unknown as { chunk: string; prevI: number };
    const code = chunk.charCodeAt(prevI);
    if (!isDisallowedChar(code)) return false; // `<` in an attribute value: broken XML
    if (this.count++ === 0) this.first = `${hex(code)} at ${this.position()}`;
    return true;
  }

  /** The characters noted since the last take: `U+000B at line 8, column 48, and 2 more`; undefined when none. */
  found(): string | undefined {
    return this.count === 0 ? undefined : `${this.first}${this.count > 1 ? `, and ${this.count - 1} more` : ''}`;
  }

  /** The warning for the element just completed (or container just opened), if characters were noted in it; then forgets them. */
  take(): string | undefined {
    const chars = this.found();
    if (chars === undefined) return undefined;
    this.count = 0;
    return `a character XML does not allow (${chars}) is kept as written`;
  }
}
