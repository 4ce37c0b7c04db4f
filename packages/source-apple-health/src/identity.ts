import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';

// One-shot hashing (Node ≥ 20.12) is much cheaper than createHash per element.
export const sha256 = (text: string): string =>
  typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');

const DEVICE_ADDRESS = /(HKDevice: )0x[0-9a-fA-F]+/g;

/** A string with the per-export `<<HKDevice: 0x282a45810>` memory address blanked to `0x`. */
function blankAddress(text: string): string {
  return text.includes('HKDevice: 0x') ? text.replace(DEVICE_ADDRESS, '$10x') : text;
}

/**
 * The element for record_hash and raw_id: every `<<HKDevice: 0x…>` memory address (new in
 * every export) blanked, in any string at any depth (the `device` attribute of records and
 * of records inside correlations; the `<device>` text of export_cda.xml). raw_data keeps
 * the text exactly as written.
 */
export function withoutDeviceAddress(element: unknown): unknown {
  if (typeof element === 'string') return blankAddress(element);
  if (Array.isArray(element)) return element.map(withoutDeviceAddress);
  if (!element || typeof element !== 'object') return element;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(element)) out[k] = withoutDeviceAddress(v);
  return out;
}

/**
 * JSON with keys sorted at every level, device addresses blanked: the same text for the
 * same element whatever order its attributes come in and whatever export it is from.
 * Elements are at most 256 levels deep (the XML reader stops deeper ones).
 */
export function canonicalElement(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(blankAddress(value));
  if (Array.isArray(value)) return `[${value.map(canonicalElement).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalElement((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
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
  const parts = attributes.map((a) => (typeof element[a] === 'string' ? (element[a] as string) : ''));
  let rest: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(element)) {
    if (typeof v === 'string' && attributes.includes(k)) continue;
    (rest ??= {})[k] = v;
  }
  const text = parts.join('\u001f');
  return sha256(rest ? `${text}\u001e${canonicalElement(rest)}` : text).slice(0, 32);
}

/** The raw_id of content with no natural key: the first 32 hex digits of sha256 of its parts joined by U+001F. */
export function contentId(...parts: string[]): string {
  return sha256(parts.join('\u001f')).slice(0, 32);
}
