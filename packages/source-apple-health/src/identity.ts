import { jsonKeyText as keyText, jsonString, sha256Hex, sortKeys } from '@bronze/core';

const DEVICE_MARK = 'HKDevice: 0x';
const isHexDigit = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

/**
 * A string with the per-export `<<HKDevice: 0x282a45810>` memory address blanked to `0x`: the
 * hex digits after each `HKDevice: 0x` removed (none after it: nothing to blank). The same text
 * as `replace(/(HKDevice: )0x[0-9a-fA-F]+/g, '$10x')` (unit test), about three times faster; it
 * runs twice per element (the id and the record hash).
 */
function blankAddress(text: string): string {
  let at = text.indexOf(DEVICE_MARK);
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const digits = at + DEVICE_MARK.length;
    let end = digits;
    while (isHexDigit(text.charCodeAt(end))) end++;
    if (end > digits) {
      out += text.slice(from, digits);
      from = end;
    }
    at = text.indexOf(DEVICE_MARK, end);
  }
  return from === 0 ? text : out + text.slice(from);
}

/**
 * What record_hash covers (a stream's hashText): the element's canonical JSON with every
 * `<<HKDevice: 0x…>` memory address (new in every export) blanked, in any string at any
 * depth (the `device` attribute of records and of records inside correlations; the
 * `<device>` text of export_cda.xml). raw_data keeps the text exactly as written. Equal to
 * blanking each string before serializing (the hash bronze always computed: the test
 * `hash-text.test.ts` checks it): JSON escapes none of `HKDevice: 0x` and hex digits, and
 * keys are XML names, which hold no space.
 */
export const withoutDeviceAddressText = blankAddress;

/**
 * JSON with keys sorted at every level, device addresses blanked: the same text for the
 * same element whatever order its attributes come in and whatever export it is from.
 * Elements are at most 256 levels deep (the XML reader stops deeper ones). The addresses are
 * blanked once in the text rather than in each string (the same result: see
 * withoutDeviceAddressText), which halves the cost of an id.
 */
export function canonicalElement(value: unknown): string {
  return blankAddress(canonicalText(value));
}

function canonicalText(value: unknown): string {
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalText(value[i]);
    return `${out}]`;
  }
  if (value && typeof value === 'object') return objectText(value as Record<string, unknown>, sortKeys(Object.keys(value)));
  return JSON.stringify(value) ?? 'null';
}

function objectText(obj: Record<string, unknown>, sortedKeys: string[]): string {
  let out = '{';
  for (let i = 0; i < sortedKeys.length; i++) {
    if (i) out += ',';
    out += keyText(sortedKeys[i]);
    out += canonicalText(obj[sortedKeys[i]]);
  }
  return `${out}}`;
}

/**
 * The raw_id of an element Apple gives no id: the first 32 hex digits (128 bits) of a
 * sha256. Its input is the named attributes' values joined by U+001F (a missing one is
 * the empty string), then, when the element holds anything else (other attributes such
 * as `sourceVersion` and `device`, MetadataEntry children, nested records), U+001E and
 * the canonical JSON of all that with device addresses blanked. Two elements that differ
 * in anything but the device address get different ids; a re-export of the same phone
 * gives each element the id it had before. An element with only the named attributes
 * keeps the id earlier versions gave it.
 */
export function elementId(element: Record<string, unknown>, attributes: readonly string[]): string {
  let text = '';
  for (let i = 0; i < attributes.length; i++) {
    const v = element[attributes[i]];
    text += (i ? '\u001f' : '') + (typeof v === 'string' ? v : '');
  }
  const rest: string[] = [];
  for (const k of Object.keys(element)) if (typeof element[k] !== 'string' || !attributes.includes(k)) rest.push(k);
  sortKeys(rest);
  return sha256Hex(rest.length ? `${text}\u001e${blankAddress(objectText(element, rest))}` : text).slice(0, 32);
}

/** The raw_id of content with no natural key: the first 32 hex digits of sha256 of its parts joined by U+001F. */
export function contentId(...parts: string[]): string {
  return sha256Hex(parts.join('\u001f')).slice(0, 32);
}
