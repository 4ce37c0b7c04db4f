/**
 * `ignoreBOM: true` keeps a leading U+FEFF in the text (the default decoder drops it): the
 * text must give back the very bytes it was decoded from.
 */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The bytes as text when they are valid UTF-8, else undefined: never a U+FFFD in place of a
 * byte, never a byte order mark dropped, so `Buffer.from(text)` equals the bytes.
 */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Bytes kept losslessly in a record: `{ [textKey]: text }` when they are UTF-8, else
 * `{ [base64Key]: base64 }` (a damaged file's rest, a file no parser read).
 */
export function textOrBase64(bytes: Buffer): { text: string } | { base64: string };
export function textOrBase64<T extends string, B extends string>(bytes: Buffer, textKey: T, base64Key: B): { [K in T]: string } | { [K in B]: string };
export function textOrBase64(bytes: Buffer, textKey = 'text', base64Key = 'base64'): Record<string, string> {
  const text = utf8Text(bytes);
  return text === undefined ? { [base64Key]: bytes.toString('base64') } : { [textKey]: text };
}
