/**
 * windows-1252 as the WHATWG Encoding Standard defines it (the `latin1`, `iso-8859-1`, `ascii`
 * labels too): Latin-1, but for 0x80–0x9F, where it has € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™
 * š › œ ž Ÿ (0x81, 0x8D, 0x8F, 0x90, 0x9D stay U+0081…). Not through TextDecoder: Node 20.18.3
 * and later 20.x, 22.13–22.18 and 24.0–24.6 decode these bytes as Latin-1's control characters
 * when decode() is called without { stream: true } (nodejs/node#56542, #59515, #60888), so a
 * `’` would be stored as U+0092. Every byte is one character either way: nothing can fail.
 */
const HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const ANY_C1 = /[\u0080-\u009f]/;
const EVERY_C1 = /[\u0080-\u009f]/g;

export function decodeWindows1252(bytes: Uint8Array): string {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return ANY_C1.test(text) ? text.replace(EVERY_C1, (c) => HIGH[c.charCodeAt(0) - 0x80]) : text;
}

/**
 * Bytes as text in a WHATWG encoding (a canonical name: encodingName), strictly when `fatal`
 * (bytes invalid in it throw a TypeError instead of becoming U+FFFD); windows-1252 by the table
 * above, whatever Node's TextDecoder does.
 */
export function decodeBytes(bytes: Uint8Array, encoding: string, o: { fatal?: boolean } = {}): string {
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(encoding, { fatal: o.fatal }).decode(bytes);
}
