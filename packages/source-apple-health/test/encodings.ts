import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { FIXTURE } from './helpers.js';

/**
 * The real export of healthkit-to-sqlite (no declaration of its own; a no-break space in the
 * "Apple Watch" of a Record and the Workout, a ’ in the WorkoutRoute's "Simon’s iPhone") written
 * again as an editor on another system would save it, in an encoding that is not UTF-8. Its
 * non-ASCII characters are given ones of that encoding, whose bytes are written by hand (no
 * encoder for them ships with Node) and checked by Node's TextDecoder (ICU).
 */
const xml = readFileSync(FIXTURE, 'utf8');

export interface Saved {
  /** The label its declaration names. */
  label: string;
  /** The no-break space and "Simon’s iPhone" replaced, as the file holds them. */
  text: string;
  /** The bytes of the file: `<?xml … encoding="label"?>` and the text. */
  bytes: Buffer;
  /** The same text in UTF-8, declaring UTF-8: the file whose rows it must give. */
  utf8: Buffer;
}

/** A declared encoding: what the no-break space and "Simon’s iPhone" become, and the bytes of each non-ASCII character used. */
interface Spelling {
  space: string;
  name: string;
  bytes: Record<string, number[]>;
}

export const SPELLINGS: Record<string, Spelling> = {
  // Cyrillic: "Саши" one byte each; ISO-8859-5 has the no-break space at 0xA0.
  'ISO-8859-5': { space: '\u00a0', name: 'iPhone Саши', bytes: { '\u00a0': [0xa0], С: [0xc1], а: [0xd0], ш: [0xe8], и: [0xd8] } },
  'KOI8-R': { space: ' ', name: 'iPhone Саши', bytes: { С: [0xf3], а: [0xc1], ш: [0xdb], и: [0xc9] } },
  // Japanese: 太郎の two bytes each, the ideographic space two, the halfwidth ｱ one.
  Shift_JIS: { space: '\u3000', name: '太郎のiPhone ｱ', bytes: { '\u3000': [0x81, 0x40], 太: [0x91, 0xbe], 郎: [0x98, 0x59], の: [0x82, 0xcc], ｱ: [0xb1] } },
  // Chinese: the no-break space four bytes, ’ and 张 two, € one (0x80; A2 E3 spells it too), 𠀀 (beyond U+FFFF) four.
  GB18030: {
    space: '\u00a0',
    name: 'Simon’s iPhone €张𠀀',
    bytes: { '\u00a0': [0x81, 0x30, 0x84, 0x32], '’': [0xa1, 0xaf], '€': [0x80], 张: [0xd5, 0xc5], '𠀀': [0x95, 0x32, 0x82, 0x36] },
  },
};

/** `text` in the encoding `spelling` gives bytes for (ASCII as is). */
export function encode(text: string, spelling: Spelling): Buffer {
  const out: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else if (spelling.bytes[c]) out.push(...spelling.bytes[c]);
    else throw new Error(`no bytes for ${c}`);
  }
  return Buffer.from(out);
}

/** The real export saved again in `label` (one of SPELLINGS), with the same text in UTF-8 beside it. */
export function savedAs(label: string, source = xml): Saved {
  const spelling = SPELLINGS[label];
  const text = source.replaceAll('\u00a0', spelling.space).replaceAll('Simon’s iPhone', spelling.name);
  const bytes = encode(`<?xml version="1.0" encoding="${label}"?>\n${text}`, spelling);
  // The bytes written by hand are the text in that encoding, as ICU reads it.
  expect(new TextDecoder(label, { fatal: true }).decode(bytes)).toBe(`<?xml version="1.0" encoding="${label}"?>\n${text}`);
  return { label, text, bytes, utf8: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`) };
}

/** The real export as an editor saves "Unicode" without a byte order mark: declaring UTF-16, or with no declaration (as the fixture). */
export function utf16WithoutMark(order: 'le' | 'be', declared: boolean): { bytes: Buffer; utf8: Buffer } {
  const text = declared ? `<?xml version="1.0" encoding="UTF-16"?>\n${xml}` : xml;
  const le = Buffer.from(text, 'utf16le');
  const utf8 = declared ? `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` : xml;
  return { bytes: order === 'le' ? le : Buffer.from(le).swap16(), utf8: Buffer.from(utf8) };
}
