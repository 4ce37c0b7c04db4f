import { isJsonbUnsafe } from './canonical-json.js';

/**
 * The marker of an escaped string. jsonb refuses U+0000 and lone surrogates, so such a
 * string is stored as { "$bronze_escaped": <its JSON text with \u escapes> } and a reader
 * gets the original back with JSON.parse(value["$bronze_escaped"]). A key holding such
 * characters is renamed to "$bronze_escaped_key:" + its JSON text the same way.
 */
export const ESCAPED_MARKER = '$bronze_escaped';
export const ESCAPED_KEY_PREFIX = '$bronze_escaped_key:';

/** JSON.stringify escapes lone surrogates and NUL as \uXXXX text, which jsonb accepts. */
function escapeString(s: string): string {
  return JSON.stringify(s);
}

/** A copy of value in which every jsonb-unsafe string and key is escaped losslessly. */
export function toJsonbSafe(value: unknown): unknown {
  if (typeof value === 'string') return isJsonbUnsafe(value) ? { [ESCAPED_MARKER]: escapeString(value) } : value;
  if (Array.isArray(value)) return value.map(toJsonbSafe);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[isJsonbUnsafe(k) ? ESCAPED_KEY_PREFIX + escapeString(k) : k] = toJsonbSafe(v);
    }
    return out;
  }
  return value;
}

/** The inverse of toJsonbSafe, for readers of bronze (and the tests that prove it lossless). */
export function fromJsonbSafe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonbSafe);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && keys[0] === ESCAPED_MARKER && typeof obj[ESCAPED_MARKER] === 'string') {
      return JSON.parse(obj[ESCAPED_MARKER] as string);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      const key = k.startsWith(ESCAPED_KEY_PREFIX) ? (JSON.parse(k.slice(ESCAPED_KEY_PREFIX.length)) as string) : k;
      out[key] = fromJsonbSafe(v);
    }
    return out;
  }
  return value;
}
