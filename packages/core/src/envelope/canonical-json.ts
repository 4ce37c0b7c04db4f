import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';
import { JsonNumber } from '../files/json-number.js';
import { DUPLICATE_KEYS, type DuplicateKey } from '../files/json-builder.js';

/** A string PostgreSQL's jsonb refuses: it holds U+0000 or a UTF-16 surrogate without its pair. */
export function isJsonbUnsafe(s: string): boolean {
  // Fast path: most strings contain neither NUL nor any surrogate.
  if (!/[\u0000\ud800-\udfff]/.test(s)) return false;
  if (s.includes('\u0000')) return true;
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/**
 * Nesting deeper than this is not written as jsonb (PostgreSQL's parser and validators
 * recurse): such a record is stored `invalid`, its JSON text kept whole (envelope.ts).
 */
export const MAX_JSON_DEPTH = 1000;

/** Keys starting so are bronze's escape markers: user objects holding one are escaped too. */
export const MARKER_KEY_PREFIX = '$bronze_escaped';

export interface DuplicateKeyAt extends DuplicateKey {
  /** JSON path of the object holding the key. */
  path: string;
}

export interface CanonicalJson {
  /** Keys sorted, no whitespace, numbers by value: the input of record_hash. */
  text: string;
  /** The same with every number literal as it was given (JsonNumber): what raw_data holds. */
  raw: string;
  /** JSON paths of strings (or keys) that jsonb cannot store as they are. */
  unsafePaths: string[];
  /** Keys an object held more than once (their earlier values; the last one is in the text). */
  duplicates: DuplicateKeyAt[];
  /** An object uses a key starting with `$bronze_escaped`: raw_data must escape it. */
  markerKeys: boolean;
  /** Nested deeper than MAX_JSON_DEPTH (text and raw were written without recursion). */
  tooDeep: boolean;
  /** The value holds a JsonNumber (validators and id()/timestamp() get a plain view). */
  jsonNumbers: boolean;
}

class TooDeep extends Error {}

interface Pass {
  /** Write JsonNumbers as their literal (raw) instead of their value form (hash). */
  raw: boolean;
  /** Collect paths (the rare, exact pass). */
  paths?: { unsafe: string[]; duplicates: DuplicateKeyAt[] };
  flags: { numbers: boolean; duplicates: boolean; markers: boolean };
}

/**
 * Canonical JSON (object keys sorted by code unit, no whitespace, JSON.stringify's
 * number and string forms). Also notes, in one pass, what needs a closer look: strings
 * jsonb refuses, duplicate keys, marker-like keys, exact numbers, excessive depth.
 */
export function canonicalJson(value: unknown): CanonicalJson {
  const flags = { numbers: false, duplicates: false, markers: false };
  let text: string;
  try {
    text = write(value, { raw: false, flags }, 0, '$');
  } catch (err) {
    if (!(err instanceof TooDeep)) throw err;
    const deepText = writeIterative(value, false);
    return { text: deepText, raw: writeIterative(value, true), unsafePaths: [], duplicates: [], markerKeys: false, tooDeep: true, jsonNumbers: false };
  }
  const raw = flags.numbers ? write(value, { raw: true, flags }, 0, '$') : text;
  // JSON.stringify writes U+0000 and unpaired surrogates as \u escapes (paired ones stay
  // raw), so text free of such an escape is jsonb-safe; a match (or an escaped backslash
  // before "u…") takes the exact pass below, which builds paths.
  const result: CanonicalJson = { text, raw, unsafePaths: [], duplicates: [], markerKeys: flags.markers, tooDeep: false, jsonNumbers: flags.numbers };
  if (MAYBE_UNSAFE.test(text) || flags.duplicates) {
    const paths = { unsafe: result.unsafePaths, duplicates: result.duplicates };
    write(value, { raw: false, paths, flags }, 0, '$');
  }
  return result;
}

const MAYBE_UNSAFE = /\\u(?:0000|[dD][89a-fA-F])/;

function scalar(value: unknown, raw: boolean): string | undefined {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      if (value instanceof JsonNumber) return raw ? value.literal : value.toString();
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      return undefined;
    default:
      return 'null';
  }
}

function keysOf(obj: Record<string, unknown>): string[] {
  return sortKeys(Object.keys(obj).filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function'));
}

/**
 * `keys.sort()`, in place, in the same order (by UTF-16 code unit; object keys are never
 * equal). Array.prototype.sort allocates its work arrays on every call, about a tenth of
 * what the envelope allocated per Apple Health record (once per object, in the record hash
 * and again in the source's id): an insertion sort allocates nothing, and records have
 * few keys.
 */
export function sortKeys(keys: string[]): string[] {
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > k) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = k;
  }
  return keys;
}

// `"key":` for the keys records repeat (attribute and field names): one JSON.stringify per
// distinct short key instead of one per key of every record.
const keyTexts = new Map<string, string>();
export function keyText(k: string): string {
  let t = keyTexts.get(k);
  if (t === undefined) {
    t = `${JSON.stringify(k)}:`;
    if (k.length <= 64 && keyTexts.size < 10_000) keyTexts.set(k, t);
  }
  return t;
}

/** Text JSON.stringify writes as it is, between quotes: no quote, backslash, control character or surrogate. */
const PLAIN_STRING = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

/** JSON.stringify(s), without its copy of the string when nothing needs escaping (most values). */
export const jsonString = (s: string): string => (PLAIN_STRING.test(s) ? `"${s}"` : JSON.stringify(s));

function write(value: unknown, p: Pass, depth: number, path: string): string {
  if (typeof value === 'string') {
    if (p.paths && isJsonbUnsafe(value)) p.paths.unsafe.push(path);
    return jsonString(value);
  }
  const s = scalar(value, p.raw);
  if (s !== undefined) {
    if (value instanceof JsonNumber) p.flags.numbers = true;
    return s;
  }
  if (depth >= MAX_JSON_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + write(value[i], p, depth + 1, p.paths ? `${path}[${i}]` : path);
    return out + ']';
  }
  const obj = value as Record<string | symbol, unknown>;
  const dups = obj[DUPLICATE_KEYS] as DuplicateKey[] | undefined;
  if (dups) {
    p.flags.duplicates = true;
    if (p.paths) for (const d of dups) p.paths.duplicates.push({ path, key: d.key, earlier: d.earlier });
  }
  const keys = sortKeys(Object.keys(obj));
  let out = '{';
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const v = obj[k];
    if (v === undefined || typeof v === 'function') continue;
    if (k.charCodeAt(0) === 36 && k.startsWith(MARKER_KEY_PREFIX)) p.flags.markers = true;
    if (p.paths && isJsonbUnsafe(k)) p.paths.unsafe.push(`${path}[${JSON.stringify(k)}] (key)`);
    out += (first ? '' : ',') + keyText(k) + write(v, p, depth + 1, p.paths ? `${path}.${k}` : path);
    first = false;
  }
  return out + '}';
}

/** The same text as write(), with an explicit stack instead of recursion (any depth). */
function writeIterative(value: unknown, raw: boolean): string {
  const stack: { items: unknown[]; keys?: string[]; i: number }[] = [];
  let out = '';
  let v = value;
  for (;;) {
    const s = scalar(v, raw);
    if (s !== undefined) out += s;
    else if (Array.isArray(v)) {
      out += '[';
      stack.push({ items: v, i: 0 });
    } else {
      const obj = v as Record<string, unknown>;
      const keys = keysOf(obj);
      out += '{';
      stack.push({ items: keys.map((k) => obj[k]), keys, i: 0 });
    }
    for (;;) {
      const f = stack[stack.length - 1];
      if (!f) return out;
      if (f.i < f.items.length) {
        if (f.i) out += ',';
        if (f.keys) out += `${JSON.stringify(f.keys[f.i])}:`;
        v = f.items[f.i++];
        break;
      }
      out += f.keys ? '}' : ']';
      stack.pop();
    }
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
