import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';

// One-shot hashing (Node ≥ 20.12) is much cheaper than createHash per element.
const sha256 = (text: string): string =>
  typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'hex') : createHash('sha256').update(text).digest('hex');

/**
 * The raw_id of an element Apple gives no id: the first 32 hex digits (128 bits) of the
 * sha256 of the named attributes' values joined by U+001F, a missing attribute counting
 * as the empty string. Only attributes Apple keeps across re-exports are named (never
 * `device`, whose text embeds a memory address), so a re-export maps each element to
 * the id it had before.
 */
export function attributeId(element: Record<string, unknown>, attributes: readonly string[]): string {
  const parts = attributes.map((a) => (typeof element[a] === 'string' ? (element[a] as string) : ''));
  return sha256(parts.join('\u001f')).slice(0, 32);
}

const DEVICE_ADDRESS = /(HKDevice: )0x[0-9a-fA-F]+/g;

/**
 * The element for record_hash: every `device` attribute's `<<HKDevice: 0x…>` memory
 * address (new in every export) blanked, at any depth (records inside correlations).
 * raw_data keeps the attribute exactly as written.
 */
export function withoutDeviceAddress(element: unknown): unknown {
  if (Array.isArray(element)) return element.map(withoutDeviceAddress);
  if (!element || typeof element !== 'object') return element;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(element)) {
    out[k] = k === 'device' && typeof v === 'string' ? v.replace(DEVICE_ADDRESS, '$10x') : Array.isArray(v) ? withoutDeviceAddress(v) : v;
  }
  return out;
}
