import type { ApiMeta, Emitted, FileMeta, RecordMeta, Stream } from '../contract.js';
import { isEmitted } from '../contract.js';
import { canonicalJson, MAX_JSON_DEPTH, sha256Hex } from './canonical-json.js';
import { idView } from './id-view.js';
import { ESCAPED_MARKER, toJsonbSafe } from './jsonb-safe.js';
import { MAX_RAW_JSON_BYTES, plainView, rawIdOf, textSafe, timestampProblem } from './record-values.js';
import type { Validator } from './validate.js';
import type { ByteSpan } from '../loader/copy-text.js';

export type ValidationStatus = 'valid' | 'invalid' | 'warning';

/** One record in its bronze envelope, ready for the loader. */
export interface BronzeRow {
  stream: string;
  rawId: string;
  recordHash: string;
  /**
   * jsonb-safe JSON text of the record (keys sorted); null once its batch holds it as COPY
   * bytes in `copyBody` (loader/copy-body.ts).
   */
  rawJson: string | null;
  /** The row's unchanging COPY fields (stream … metadata) as UTF-8 in its batch's buffer. */
  copyBody?: ByteSpan;
  sourceTimestamp: Date | null;
  status: ValidationStatus;
  error: string | null;
  metadata: Record<string, unknown> | null;
  /** raw_id came from meta.countedId: every occurrence in a file is numbered, the first as #1. */
  countEvery?: boolean;
  file?: FileMeta;
  api?: ApiMeta;
}

export interface PreparedStream {
  stream: Stream;
  validate: Validator;
}

/** What the last `attempt` threw (its message), or undefined when it returned. */
let thrown: string | undefined;

/**
 * `fn.call(self, arg)`, its exception's message kept in `thrown`: a stream's function never
 * fails the record's batch. No closure and no result object: every record makes several calls.
 */
function attempt<A, R>(fn: (this: unknown, arg: A) => R, self: unknown, arg: A): R | undefined {
  thrown = undefined;
  try {
    return fn.call(self, arg);
  } catch (err) {
    thrown = err instanceof Error ? err.message : String(err);
    return undefined;
  }
}

/** What record_hash covers: the canonical text, or the stream's view of it (hashText, hashInput). */
function hashedText(stream: Stream, record: unknown, text: string, warnings: string[]): string {
  if (stream.hashText) {
    const rewritten = attempt(stream.hashText as (t: string) => unknown, stream, text);
    if (typeof rewritten === 'string') return rewritten;
    warnings.push(`hashText: ${thrown ?? 'did not return text'}; record_hash covers the whole record`);
    return text;
  }
  if (!stream.hashInput) return text;
  const view = attempt(stream.hashInput as (r: unknown) => unknown, stream, record);
  if (thrown !== undefined) warnings.push(`hashInput: ${thrown}; record_hash covers the whole record`);
  return view !== undefined ? canonicalJson(view).text : text;
}

/** Whole records whose raw_data text is this long are refused (docs/values.md). */
const tooLarge = (raw: string) => raw.length * 3 > MAX_RAW_JSON_BYTES && Buffer.byteLength(raw) > MAX_RAW_JSON_BYTES;

/**
 * Wraps one raw record: identity, canonical hash, validation, timestamp, jsonb safety.
 * Nothing here changes the record; every problem becomes a status and a message, and
 * every value PostgreSQL cannot hold is stored in a documented lossless form or refused
 * with its reason (docs/values.md), so one record never fails its batch.
 */
export function toBronzeRow(prepared: PreparedStream, item: unknown | Emitted, file?: FileMeta): BronzeRow & { rawJson: string } {
  const { record, meta } = isEmitted(item) ? item : { record: item, meta: {} as RecordMeta };
  const { stream, validate } = prepared;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (meta.invalid) problems.push(meta.invalid);
  if (meta.warning) warnings.push(meta.warning);
  if (meta.unrecognised) warnings.push(`not recognised: ${meta.unrecognised}`);
  let metadata = meta.metadata ?? null;

  const canonical = canonicalJson(record);
  const recordHash = sha256Hex(hashedText(stream, record, canonical.text, warnings));
  let rawJson = canonical.raw;
  if (canonical.tooDeep) {
    problems.push(`nested deeper than ${MAX_JSON_DEPTH} levels, which bronze does not store as jsonb; raw_data is {"${ESCAPED_MARKER}": <the record's JSON text>}`);
    rawJson = `{${JSON.stringify(ESCAPED_MARKER)}:${JSON.stringify(canonical.raw)}}`;
  } else if (canonical.unsafePaths.length || canonical.markerKeys) {
    rawJson = canonicalJson(toJsonbSafe(record)).raw;
    if (canonical.unsafePaths.length) {
      warnings.push(`${canonical.unsafePaths.join(', ')}: holds U+0000 or an unpaired surrogate, which jsonb cannot store; stored escaped as {"${ESCAPED_MARKER}": <JSON text>}`);
    }
    if (canonical.markerKeys) warnings.push(`an object has a key starting with "${ESCAPED_MARKER}", bronze's escape marker; that object is stored escaped as {"${ESCAPED_MARKER}": <JSON text>}`);
  }
  if (canonical.duplicates.length) {
    const keys = canonical.duplicates.map((d) => `"${d.key}" at ${d.path} (earlier ${d.earlier.map((v) => canonicalJson(v).raw).join(', ')})`);
    warnings.push(`duplicate key ${keys.join('; ')}: raw_data keeps the last value, metadata.duplicate_keys the earlier ones`);
    const duplicateKeys = canonical.duplicates.map((d) => ({ path: d.path, key: d.key, earlier: d.earlier.map((v) => canonicalJson(v).raw) }));
    metadata = { ...metadata, duplicate_keys: duplicateKeys };
  }
  if (tooLarge(rawJson)) {
    problems.push(`raw_data would be ${Buffer.byteLength(rawJson)} bytes, over the ${MAX_RAW_JSON_BYTES} bytes jsonb holds; raw_data keeps its size, sha256 and first 1000 characters`);
    rawJson = JSON.stringify({ $bronze_too_large: { bytes: Buffer.byteLength(rawJson), sha256: sha256Hex(rawJson), head: textSafe(rawJson.slice(0, 1000)) } });
  }

  // Validators and id()/timestamp() see plain numbers, as they did before JsonNumber.
  const view = canonical.jsonNumbers ? plainView(record) : record;
  if (!meta.invalid && !canonical.tooDeep) {
    const failure = attempt(validate, undefined, view);
    if (thrown !== undefined) problems.push(`validation failed: ${thrown}`);
    else if (failure) problems.push(failure);
  }

  let rawId = meta.rawId ?? meta.countedId;
  if (rawId === undefined) {
    // id() sees objects and arrays that refuse to become text: never "[object Object]".
    const id = attempt(stream.id as (r: unknown) => unknown, stream, idView(view));
    const idError = thrown;
    const outcome = idError === undefined ? rawIdOf(id, stream.name) : {};
    if (outcome.warning) warnings.push(outcome.warning);
    if (outcome.rawId !== undefined) rawId = outcome.rawId;
    else {
      problems.push(outcome.problem ?? `id: ${idError ?? 'the record has no id'}; raw_id is the record hash`);
      rawId = `sha256:${recordHash}`;
    }
  } else {
    const outcome = rawIdOf(rawId, stream.name);
    if (outcome.warning) warnings.push(outcome.warning);
    rawId = outcome.rawId ?? `sha256:${recordHash}`;
  }

  let sourceTimestamp: Date | null = null;
  if (stream.timestamp) {
    const ts = attempt(stream.timestamp as (r: unknown) => unknown, stream, view);
    if (thrown !== undefined) warnings.push(`timestamp: ${thrown}`);
    else if (ts instanceof Date) {
      const problem = timestampProblem(ts);
      const line = typeof metadata?.line === 'number' ? ` (line ${metadata.line})` : '';
      if (problem) warnings.push(problem + line);
      else sourceTimestamp = ts;
    }
  }

  const status: ValidationStatus = problems.length ? 'invalid' : warnings.length ? 'warning' : 'valid';
  const error = problems.length || warnings.length ? textSafe([...problems, ...warnings].join('; ')) : null;
  // One shape for every row (countEvery always a property): the loader reads rows by the thousand.
  return {
    stream: stream.name,
    rawId,
    recordHash,
    rawJson,
    sourceTimestamp,
    status,
    error,
    metadata,
    countEvery: meta.rawId === undefined && meta.countedId !== undefined ? true : undefined,
    file,
    api: meta.api,
    copyBody: undefined,
  };
}
