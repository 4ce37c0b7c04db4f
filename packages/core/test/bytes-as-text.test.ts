import { describe, expect, it } from 'vitest';
import { textOrBase64, utf8Text } from '../src/index.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

describe('bytes kept as text only when the text gives back the same bytes', () => {
  it('keeps a leading byte order mark (a default TextDecoder drops it)', () => {
    const bytes = Buffer.concat([BOM, Buffer.from('<gpx>é</gpx>')]);
    const text = utf8Text(bytes)!;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(text, 'utf8').equals(bytes)).toBe(true);
    expect(textOrBase64(bytes)).toEqual({ text: '\ufeff<gpx>é</gpx>' });
  });

  it('gives no text for bytes that are not UTF-8, and base64 that decodes to them', () => {
    const bytes = Buffer.from([0x3c, 0x61, 0xe9, 0x3e]); // Latin-1 é
    expect(utf8Text(bytes)).toBeUndefined();
    const kept = textOrBase64(bytes, 'beforeDamage', 'beforeDamageBase64');
    expect(kept).toEqual({ beforeDamageBase64: 'PGHpPg==' });
    expect(Buffer.from((kept as { beforeDamageBase64: string }).beforeDamageBase64, 'base64').equals(bytes)).toBe(true);
  });

  it('a UTF-8 sequence cut at the end is not text', () => {
    expect(utf8Text(Buffer.from('é').subarray(0, 1))).toBeUndefined();
    expect(textOrBase64(Buffer.from('ok'), 'gpx', 'gpxBase64')).toEqual({ gpx: 'ok' });
  });
});
