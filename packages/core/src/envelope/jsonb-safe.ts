import { canonicalJson, isJsonbUnsafe, MARKER_KEY_PREFIX } from './canonical-json.js';
import { JsonNumber } from '../files/json-number.js';
import { setKey } from '../files/json-builder.js';
import { parseJsonPrecise } from '../files/precise-json.js';

/**
 * The marker of an escaped value. jsonb refuses U+0000 and lone surrogates, so such a
 * string is stored as { "$bronze_escaped": <its JSON text with \u escapes> } and a reader
 * gets the original back by parsing value["$bronze_escaped"]. A key holding such
 * characters is renamed to "$bronze_escaped_key:" + its JSON text the same way. A user
 * object that itself has a key starting with "$bronze_escaped" is escaped whole, so
 * user data can never be mistaken for a marker (docs/values.md).
 */
export const ESCAPED_MARKER = '$bronze_escaped';
export const ESCAPED_KEY_PREFIX = '$bronze_escaped_key:';

/** JSON.stringify escapes lone surrogates and NUL as \uXXXX text, which jsonb accepts. */
function escapeString(s: string): string {
  return JSON.stringify(s);
}

function hasMarkerKey(obj: object): boolean {
  for (const k of Object.keys(obj)) if (k.startsWith(MARKER_KEY_PREFIX)) return true;
  return false;
}

/** A copy of value in which every jsonb-unsafe string and key, and every marker-like object, is escaped losslessly. */
export function toJsonbSafe(value: unknown): unknown {
  if (typeof value === 'string') return isJsonbUnsafe(value) ? { [ESCAPED_MARKER]: escapeString(value) } : value;
  if (Array.isArray(value)) return value.map(toJsonbSafe);
  if (value && typeof value === 'object' && !(value instanceof Date) && !(value instanceof JsonNumber)) {
    if (hasMarkerKey(value)) return { [ESCAPED_MARKER]: canonicalJson(value).raw };
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      setKey(out, isJsonbUnsafe(k) ? ESCAPED_KEY_PREFIX + escapeString(k) : k, toJsonbSafe(v));
    }
    return out;
  }
  return value;
}

/** The inverse of toJsonbSafe, for readers of bronze (and the tests that prove it lossless). */
export function fromJsonbSafe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonbSafe);
  if (value && typeof value === 'object' && !(value instanceof JsonNumber)) {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === ESCAPED_MARKER && typeof obj[ESCAPED_MARKER] === 'string') {
      return parseJsonPrecise(obj[ESCAPED_MARKER] as string);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const key = k.startsWith(ESCAPED_KEY_PREFIX) ? (JSON.parse(k.slice(ESCAPED_KEY_PREFIX.length)) as string) : k;
      setKey(out, key, fromJsonbSafe(v));
    }
    return out;
  }
  return value;
}
