import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';

/** A string PostgreSQL's jsonb refuses: it holds U+0000 or a UTF-16 surrogate without its pair. */
export function isJsonbUnsafe(s: string): boolean {
  // Fast path: most strings contain neither NUL nor any surrogate.
  if (!/[\u0000\ud800-\udfff]/.test(s)) return false;
  if (s.includes('\u0000')) return true;
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

export interface CanonicalJson {
  /** Keys sorted, no whitespace: the input of record_hash. */
  text: string;
  /** JSON paths of strings (or keys) that jsonb cannot store as they are. */
  unsafePaths: string[];
}

/**
 * Canonical JSON (object keys sorted by code unit, no whitespace, JSON.stringify's
 * number and string forms). Also notes where jsonb-unsafe strings are, in one pass.
 */
export function canonicalJson(value: unknown): CanonicalJson {
  // Fast path, no JSON paths built: JSON.stringify writes U+0000 and unpaired surrogates
  // as \u escapes (paired ones stay raw), so text free of such an escape is jsonb-safe.
  // A match (or an escaped backslash before "u…") takes the exact path below.
  const plain = write(value);
  if (!MAYBE_UNSAFE.test(plain)) return { text: plain, unsafePaths: [] };
  const unsafePaths: string[] = [];
  const text = write(value, unsafePaths, '$');
  return { text, unsafePaths };
}

const MAYBE_UNSAFE = /\\u(?:0000|[dD][89a-fA-F])/;

/** Paths of unsafe strings are built only when `unsafe` is given (the rare, exact pass). */
function write(value: unknown, unsafe?: string[], path = '$'): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      if (unsafe && isJsonbUnsafe(value)) unsafe.push(path);
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + write(value[i], unsafe, unsafe && `${path}[${i}]`);
        return out + ']';
      }
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).sort();
      let out = '{';
      let first = true;
      for (const k of keys) {
        const v = obj[k];
        if (v === undefined || typeof v === 'function') continue;
        if (unsafe && isJsonbUnsafe(k)) unsafe.push(`${path}[${JSON.stringify(k)}] (key)`);
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + write(v, unsafe, unsafe && `${path}.${k}`);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

export function sha256Hex(text: string | Buffer): string {
  // One-shot hashing (Node ≥ 20.12) costs far less than a Hash object per record.
  if (typeof crypto.hash === 'function') return crypto.hash('sha256', text, 'hex');
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the record's canonical JSON: the record_hash column. */
export function recordHash(value: unknown): string {
  return sha256Hex(canonicalJson(value).text);
}
