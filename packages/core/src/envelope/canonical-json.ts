import { createHash } from 'node:crypto';

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
  const unsafePaths: string[] = [];
  const text = write(value, '$', unsafePaths);
  return { text, unsafePaths };
}

function write(value: unknown, path: string, unsafe: string[]): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      if (isJsonbUnsafe(value)) unsafe.push(path);
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
        for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + write(value[i], `${path}[${i}]`, unsafe);
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
        if (isJsonbUnsafe(k)) unsafe.push(`${path}[${JSON.stringify(k)}] (key)`);
        out += (first ? '' : ',') + JSON.stringify(k) + ':' + write(v, `${path}.${k}`, unsafe);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}

export function sha256Hex(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the record's canonical JSON: the record_hash column. */
export function recordHash(value: unknown): string {
  return sha256Hex(canonicalJson(value).text);
}
