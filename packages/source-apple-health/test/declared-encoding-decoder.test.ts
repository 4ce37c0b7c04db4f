import { describe, expect, it } from 'vitest';
import { readXmlElements, type XmlElement } from '../src/index.js';
import { XmlDamage } from '../src/xml/damage.js';
import { EncodingNotRead, xmlEncoding } from '../src/xml/xml-decoder.js';
import { savedAs, utf16WithoutMark } from './encodings.js';

/**
 * An XML part saved again by hand in UTF-16 without its byte order mark (XML 1.0 Appendix F:
 * `3C 00 3F 00` is UTF-16LE, `00 3C 00 3F` UTF-16BE), or declaring an encoding Node's TextDecoder
 * reads (`Shift_JIS`, `ISO-8859-5`, `KOI8-R`, `GB18030`): the elements of the same text in UTF-8,
 * in whatever pieces the bytes come, and the bytes a damage names the file's own.
 */
async function elements(bytes: Buffer, chunk: number, readAgain?: () => Buffer[]): Promise<XmlElement[]> {
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const out: XmlElement[] = [];
  for await (const el of readXmlElements(chunks, 'export.xml', { containers: 1, readAgain })) out.push(el);
  return out;
}

const CHUNKS = [1, 7, 64, 1 << 16];

describe('apple_health: the encoding of a part without a byte order mark, or declaring another encoding', () => {
  it('UTF-16 without its mark, by Appendix F (and any ASCII start of XML as 16-bit units); the encodings TextDecoder reads by their canonical names', () => {
    expect(xmlEncoding(utf16WithoutMark('le', true).bytes)).toBe('UTF-16LE');
    expect(xmlEncoding(utf16WithoutMark('be', true).bytes)).toBe('UTF-16BE');
    expect(xmlEncoding(utf16WithoutMark('le', false).bytes)).toBe('UTF-16LE');
    expect(xmlEncoding(utf16WithoutMark('be', false).bytes)).toBe('UTF-16BE');
    expect(xmlEncoding(Buffer.from('\n<HealthData>', 'utf16le'))).toBe('UTF-16LE');
    const head = (label: string) => Buffer.from(`<?xml version="1.0" encoding="${label}"?>\n<HealthData>`);
    expect(['Shift_JIS', 'ISO-8859-5', 'KOI8-R', 'GB18030', 'gbk', 'EUC-JP', 'Big5', 'EUC-KR', 'windows-1251'].map((l) => xmlEncoding(head(l)))).toEqual([
      'shift_jis', 'iso-8859-5', 'koi8-r', 'gb18030', 'gbk', 'euc-jp', 'big5', 'euc-kr', 'windows-1251',
    ]);
    // ISO-2022-JP's escape sequences make ASCII bytes two-byte characters; a label no decoder knows: named, not read.
    expect(xmlEncoding(head('ISO-2022-JP'))).toEqual({ declared: 'ISO-2022-JP' });
    expect(xmlEncoding(head('x-unknown-8bit'))).toEqual({ declared: 'x-unknown-8bit' });
  });

  for (const [order, declared] of [['le', true], ['be', true], ['le', false], ['be', false]] as const) {
    it.each(CHUNKS)(`UTF-16${order.toUpperCase()} without its mark, ${declared ? 'declaring UTF-16' : 'no declaration'}: the elements of the UTF-8 file, in pieces of %i bytes`, async (chunk) => {
      const { bytes, utf8 } = utf16WithoutMark(order, declared);
      const read = await elements(bytes, chunk);
      expect(read).toEqual(await elements(utf8, 1 << 16));
      expect(JSON.stringify(read)).toContain('Simon’s iPhone');
    });
  }

  for (const label of ['Shift_JIS', 'ISO-8859-5', 'KOI8-R', 'GB18030']) {
    it.each(CHUNKS)(`${label}: the elements of the same text in UTF-8, in pieces of %i bytes (a character split between them)`, async (chunk) => {
      const saved = savedAs(label);
      const read = await elements(saved.bytes, chunk, () => [saved.bytes]);
      expect(read).toEqual(await elements(saved.utf8, 1 << 16));
      expect(JSON.stringify(read)).not.toContain('\uFFFD');
      const workout = read.find((el) => el.name === 'Workout')!.value as any;
      expect(workout.WorkoutRoute[0].sourceName).toBe(savedAs(label).text.match(/WorkoutRoute sourceName="([^"]*)"/)![1]);
    });

    it(`${label} cut inside its Workout: the damage names the file's own bytes, past the characters of several bytes before it`, async () => {
      const { bytes } = savedAs(label);
      const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('<WorkoutRoute')));
      const err = await elements(cut, 100).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(XmlDamage);
      expect((err as XmlDamage).damage).toMatchObject({ byte: cut.length, encoding: xmlEncoding(bytes) });
      // The text no element holds starts, at the file's own byte, where the Record before the cut Workout ends.
      expect((err as XmlDamage).damage.unreadFrom).toBe(cut.indexOf(Buffer.from('\n    <Workout ')));
    });
  }

  it('bytes not valid in the declared encoding, checked first: EncodingNotRead naming the encoding and the byte, before any element', async () => {
    const { bytes } = savedAs('Shift_JIS');
    // 0x81 opens a two-byte character of Shift_JIS; `"` cannot end it.
    const at = bytes.indexOf(Buffer.from([0xb1, 0x22])); // the halfwidth ｱ and the quote after it
    const bad = Buffer.from(bytes);
    bad[at] = 0x81;
    const read: XmlElement[] = [];
    const err = await (async () => {
      for await (const el of readXmlElements([bad], 'export.xml', { containers: 1, readAgain: () => [bad] })) read.push(el);
    })().catch((e: unknown) => e);
    expect(read).toEqual([]);
    expect(err).toBeInstanceOf(EncodingNotRead);
    expect((err as EncodingNotRead).message).toBe(
      `export.xml: its XML declaration says encoding="Shift_JIS", but its bytes from byte ${at.toLocaleString('en-US')} on are not Shift_JIS; none of its text is read, so that no character of it is altered (such bytes would be read as U+FFFD): save the file again as Shift_JIS or as UTF-8 to import its elements`,
    );
    expect((err as EncodingNotRead).damage).toMatchObject({ byte: at, unreadFrom: 0 });
  });

  it.each(CHUNKS)('bytes not valid in the declared encoding, found while reading (in pieces of %i bytes): a damage at them, the elements before kept', async (chunk) => {
    const { bytes } = savedAs('Shift_JIS');
    const at = bytes.indexOf(Buffer.from([0xb1, 0x22])); // the halfwidth ｱ and the quote after it
    const bad = Buffer.from(bytes);
    bad[at] = 0x81;
    const err = await elements(bad, chunk).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XmlDamage);
    expect(err).not.toBeInstanceOf(EncodingNotRead);
    expect((err as XmlDamage).message).toContain(`bytes that are not shift_jis, its declared encoding, from byte ${at.toLocaleString('en-US')}`);
    // Read in one piece, no element was handed over before the bytes: the text kept starts at 0.
    const unreadFrom = chunk >= bad.length ? 0 : bad.indexOf(Buffer.from('\n    <Workout '));
    expect((err as XmlDamage).damage).toMatchObject({ byte: at, unreadFrom, encoding: 'shift_jis' });
  });
});
