import type { XmlEvent } from '../sheets/xml-events.js';

/**
 * The text of a string item (`<si>` of the shared strings, `<is>` of an inline string):
 * a plain `<t>`, or the `<t>` of each rich-text run `<r>` joined. Phonetic guides (`<rPh>`,
 * the furigana over Japanese text) are not part of the text the cell shows: left out.
 * Built event by event, as the item streams past.
 */
export class StringItem {
  private parts: string[] = [];
  /** Characters gathered so far: callers bound it (a part is not trusted to be sane). */
  chars = 0;
  private inT = 0;
  private inPhonetic = 0;

  on(e: XmlEvent): void {
    if (e.type === 'open') {
      if (e.name === 'rPh') this.inPhonetic++;
      else if (e.name === 't') this.inT++;
    } else if (e.type === 'close') {
      if (e.name === 'rPh') this.inPhonetic--;
      else if (e.name === 't') this.inT--;
    } else if (this.inT > 0 && this.inPhonetic === 0) {
      this.parts.push(e.text);
      this.chars += e.text.length;
    }
  }

  /** The item's text, its `_xHHHH_` escapes decoded, and a fresh start for the next item. */
  take(): string {
    const text = decodeEscapes(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
    this.inT = 0;
    this.inPhonetic = 0;
    return text;
  }
}

/**
 * Text in a workbook escapes characters XML 1.0 cannot hold as `_xHHHH_` (ECMA-376
 * ST_Xstring): Excel writes a carriage return as `_x000D_`, and a typed `_x000D_` as
 * `_x005F_x000D_`. Decoding them is reading the format, like `&amp;`: the value is the
 * text the person typed and Excel shows (`ABC\r\nDEF`), not the file's spelling of it.
 */
export function decodeEscapes(text: string): string {
  if (!text.includes('_x')) return text;
  return text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
