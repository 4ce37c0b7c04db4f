import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXmlElements, type XmlElement } from '../src/index.js';
import { XmlDamage } from '../src/xml/damage.js';
import { EncodingNotRead, xmlEncoding } from '../src/xml/xml-decoder.js';
import { FIXTURE } from './helpers.js';

/**
 * Which encoding an XML part is read in (XML 1.0 §4.3.3, Appendix F): the byte order mark, else
 * the declaration when it is the part's very first thing, its labels as the WHATWG Encoding
 * Standard reads them (ISO-8859-1, US-ASCII… are windows-1252 there, as in every browser).
 */
const head = (text: string) => Buffer.from(text, 'latin1');

describe('apple_health: the encoding an XML part declares', () => {
  it.each(['ISO-8859-1', 'iso-8859-1', 'latin1', 'L1', 'iso_8859-1', 'ISO8859-1', 'cp1252', 'windows-1252', 'Windows-1252', 'US-ASCII', 'ascii'])(
    'encoding="%s" is windows-1252',
    (label) => {
      expect(xmlEncoding(head(`<?xml version="1.0" encoding="${label}"?>\n<HealthData>`))).toBe('windows-1252');
      expect(xmlEncoding(head(`<?xml version='1.0'\n  encoding = '${label}' standalone='no' ?><HealthData>`))).toBe('windows-1252');
    },
  );

  it('UTF-8 declared, no declaration, or one that is not the first thing: UTF-8, as before; a byte order mark wins over the declaration', () => {
    expect(xmlEncoding(head('<?xml version="1.0" encoding="UTF-8"?>\n<HealthData>'))).toBe('UTF-8');
    expect(xmlEncoding(head('<?xml version="1.0" encoding="utf8"?>'))).toBe('UTF-8');
    expect(xmlEncoding(head('<?xml version="1.0"?>\n<HealthData>'))).toBe('UTF-8');
    expect(xmlEncoding(head('<HealthData locale="en_US">'))).toBe('UTF-8');
    // Readable as ASCII, a file that says UTF-16 is not UTF-16: read as before.
    expect(xmlEncoding(head('<?xml version="1.0" encoding="UTF-16"?>'))).toBe('UTF-8');
    expect(xmlEncoding(head(' <?xml version="1.0" encoding="ISO-8859-1"?>'))).toBe('UTF-8');
    expect(xmlEncoding(head('<HealthData><?xml version="1.0" encoding="ISO-8859-1"?>'))).toBe('UTF-8');
    expect(xmlEncoding(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), head('<?xml version="1.0" encoding="ISO-8859-1"?>')]))).toBe('UTF-8');
    expect(xmlEncoding(Buffer.from('\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?>', 'utf16le'))).toBe('UTF-16LE');
  });

  it('an encoding TextDecoder reads is read by its name (declared-encoding-decoder.test.ts); another is named, never read as UTF-8', () => {
    expect(xmlEncoding(head('<?xml version="1.0" encoding="Shift_JIS"?>'))).toBe('shift_jis');
    expect(xmlEncoding(head("<?xml version='1.0' encoding='ISO-8859-5'?>"))).toBe('iso-8859-5');
    expect(xmlEncoding(head('<?xml version="1.0" encoding="ISO-2022-JP"?>'))).toEqual({ declared: 'ISO-2022-JP' });
    expect(xmlEncoding(head("<?xml version='1.0' encoding='x-mac-japanese'?>"))).toEqual({ declared: 'x-mac-japanese' });
  });
});

/** The real export (a no-break space and a ’ in its sourceNames) with a declaration, as UTF-8 and as windows-1252. */
const text = readFileSync(FIXTURE, 'utf8');
const utf8 = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
const latin = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n${text}`.replaceAll('’', '\x92'), 'latin1');

async function elements(bytes: Buffer, chunk: number): Promise<XmlElement[]> {
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const out: XmlElement[] = [];
  for await (const el of readXmlElements(chunks, 'export.xml', 1)) out.push(el);
  return out;
}

describe('apple_health: reading an XML part in windows-1252', () => {
  it.each([1, 7, 64, 1 << 16])('the elements of the UTF-8 file, its declaration handed over in pieces of %i bytes', async (chunk) => {
    const read = await elements(latin, chunk);
    expect(read).toEqual(await elements(utf8, 1 << 16));
    expect(JSON.stringify(read)).toContain('Simon’s iPhone');
    expect(JSON.stringify(read)).not.toContain('\uFFFD');
  });

  it('a damage names the file\'s own byte: one byte per character', async () => {
    const cut = latin.subarray(0, latin.lastIndexOf(Buffer.from('</Workout>')));
    const err = await elements(cut, 100).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(XmlDamage);
    expect((err as XmlDamage).damage).toMatchObject({ byte: cut.length, encoding: 'windows-1252' });
    // The text no element holds starts, at the file's own byte, where the Record before the cut Workout ends.
    expect(cut.subarray((err as XmlDamage).damage.unreadFrom).toString('latin1')).toMatch(/^\n {4}<Workout /);
  });

  it('a declared encoding bronze does not read: EncodingNotRead naming it, before any element', async () => {
    const err = await elements(Buffer.from(`<?xml version="1.0" encoding="ISO-2022-JP"?>\n${text}`), 5).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EncodingNotRead);
    expect((err as EncodingNotRead).message).toMatch(/^export\.xml: its XML declaration says encoding="ISO-2022-JP", which bronze does not read/);
    expect((err as EncodingNotRead).damage).toMatchObject({ byte: 0, unreadFrom: 0 });
  });
});
