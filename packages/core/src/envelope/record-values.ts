import { JsonNumber } from '../files/json-number.js';
import { setKey } from '../files/json-builder.js';
import { canonicalJson, isJsonbUnsafe, sha256Hex } from './canonical-json.js';

/**
 * Rules for the values of the envelope's own columns (raw_id, source_timestamp,
 * error_message): what PostgreSQL can hold, and what becomes of the rest (docs/values.md).
 */

/**
 * raw_id longer than this (UTF-8 bytes, stream name included) is replaced by its sha256:
 * the (stream, raw_id) btree indexes refuse entries over ~2.7 KB.
 */
export const MAX_ID_BYTES = 2600;

/** source_timestamp must fall in [0001-01-01, 10000-01-01) UTC: the years timestamptz, ISO text and month partitions share. */
export const MIN_TIMESTAMP_MS = Date.parse('0001-01-01T00:00:00Z');
export const END_TIMESTAMP_MS = Date.parse('+010000-01-01T00:00:00Z');

/** jsonb refuses a value whose binary form exceeds 256 MB; raw_data text beyond this is refused before the database. */
export const MAX_RAW_JSON_BYTES = 255 * 1024 * 1024;

export interface IdOutcome {
  rawId?: string;
  /** The value cannot be an id: the record is stored `invalid` with this reason. */
  problem?: string;
  /** The id was stored in another form: the record is stored `warning` with this note. */
  warning?: string;
}

const shown = (s: string) => (s.length > 80 ? `${JSON.stringify(s.slice(0, 80))}…` : JSON.stringify(s));

/**
 * What stream.id() returned, as raw_id. Strings as they are; numbers as their decimal
 * text (so `1` and `"1"` are one id, as they are in a CSV); anything else (object, array,
 * boolean) is refused rather than turned into text that could equal another id.
 */
export function rawIdOf(id: unknown, stream: string): IdOutcome {
  let text: string;
  if (typeof id === 'string') text = id;
  else if (typeof id === 'number') {
    if (!Number.isFinite(id)) return { problem: `id: ${id} is not a usable id` };
    text = String(id);
  } else if (typeof id === 'bigint' || id instanceof JsonNumber) text = id.toString();
  else if (id === null || id === undefined) return {};
  else {
    const kind = Array.isArray(id) ? 'an array' : typeof id === 'object' ? 'an object' : `a ${typeof id}`;
    return { problem: `id: is ${kind} (${shown(canonicalJson(id).text)}); an id must be a string or a number, so raw_id is the record hash and the record is never merged with another` };
  }
  if (text === '') return {};
  if (isJsonbUnsafe(text)) {
    const json = JSON.stringify(text);
    return { rawId: `sha256:${sha256Hex(json)}`, warning: `id ${shown(text)} holds U+0000 or an unpaired surrogate, which PostgreSQL text cannot store; raw_id is sha256 of its JSON text ${json.length > 200 ? '' : json}(the id itself is in raw_data)` };
  }
  if (text.length * 3 + stream.length * 3 > MAX_ID_BYTES && Buffer.byteLength(text) + Buffer.byteLength(stream) > MAX_ID_BYTES) {
    return { rawId: `sha256:${sha256Hex(text)}`, warning: `id of ${Buffer.byteLength(text)} bytes (${shown(text)}) is longer than the ${MAX_ID_BYTES} bytes an index entry holds; raw_id is its sha256 (the id itself is in raw_data)` };
  }
  return { rawId: text };
}

/** Why a timestamp cannot be source_timestamp, or undefined when it can. */
export function timestampProblem(ts: Date): string | undefined {
  const t = ts.getTime();
  if (Number.isNaN(t)) return 'timestamp: not a valid date; source_timestamp left NULL';
  if (t < MIN_TIMESTAMP_MS || t >= END_TIMESTAMP_MS) {
    return `timestamp: ${ts.toISOString()} is outside the years 0001–9999 (UTC) that bronze's month partitions hold; source_timestamp left NULL`;
  }
  return undefined;
}

/** Text PostgreSQL can store: U+0000 and unpaired surrogates written as \u escapes. */
export function textSafe(s: string): string {
  if (!isJsonbUnsafe(s)) return s;
  return s.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The record as validators and a stream's id()/timestamp() see it: JsonNumbers as plain numbers (or BigInt). */
export function plainView(value: unknown): unknown {
  if (value instanceof JsonNumber) return value.toPlain();
  if (Array.isArray(value)) return value.map(plainView);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, plainView(v));
    return out;
  }
  return value;
}
