import type { ApiMeta, Emitted, FileMeta, RecordMeta, Stream } from '../contract.js';
import { isEmitted } from '../contract.js';
import { canonicalJson, sha256Hex } from './canonical-json.js';
import { toJsonbSafe } from './jsonb-safe.js';
import type { Validator } from './validate.js';

export type ValidationStatus = 'valid' | 'invalid' | 'warning';

/** One record in its bronze envelope, ready for the loader. */
export interface BronzeRow {
  stream: string;
  rawId: string;
  recordHash: string;
  /** jsonb-safe JSON text of the record (keys sorted). */
  rawJson: string;
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

function safeCall<T>(fn: () => T): { value?: T; error?: string } {
  try {
    return { value: fn() };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Wraps one raw record: identity, canonical hash, validation, timestamp, jsonb safety.
 * Nothing here changes the record; every problem becomes a status and a message.
 */
export function toBronzeRow(prepared: PreparedStream, item: unknown | Emitted, file?: FileMeta): BronzeRow {
  const { record, meta } = isEmitted(item) ? item : { record: item, meta: {} as RecordMeta };
  const { stream, validate } = prepared;
  const problems: string[] = [];
  const warnings: string[] = [];
  if (meta.invalid) problems.push(meta.invalid);
  if (meta.warning) warnings.push(meta.warning);

  const canonical = canonicalJson(record);
  const hashInput = stream.hashInput ? safeCall(() => stream.hashInput!(record as never)) : undefined;
  if (hashInput?.error !== undefined) warnings.push(`hashInput: ${hashInput.error}; record_hash covers the whole record`);
  const recordHash = sha256Hex(hashInput?.value !== undefined ? canonicalJson(hashInput.value).text : canonical.text);
  let rawJson = canonical.text;
  if (canonical.unsafePaths.length) {
    rawJson = canonicalJson(toJsonbSafe(record)).text;
    warnings.push(
      `${canonical.unsafePaths.join(', ')}: holds U+0000 or an unpaired surrogate, which jsonb cannot store; stored escaped as {"$bronze_escaped": <JSON text>}`,
    );
  }

  if (!meta.invalid) {
    const failure = validate(record);
    if (failure) problems.push(failure);
  }

  let rawId = meta.rawId ?? meta.countedId;
  if (rawId === undefined) {
    const id = safeCall(() => stream.id(record as never));
    if (id.error !== undefined || id.value === undefined || id.value === null || String(id.value) === '') {
      problems.push(`id: ${id.error ?? 'the record has no id'}; raw_id is the record hash`);
      rawId = `sha256:${recordHash}`;
    } else {
      rawId = String(id.value);
    }
  }

  let sourceTimestamp: Date | null = null;
  if (stream.timestamp) {
    const ts = safeCall(() => stream.timestamp!(record as never));
    if (ts.error !== undefined) warnings.push(`timestamp: ${ts.error}`);
    else if (ts.value instanceof Date) {
      if (Number.isNaN(ts.value.getTime())) warnings.push('timestamp: not a valid date');
      else sourceTimestamp = ts.value;
    }
  }

  const status: ValidationStatus = problems.length ? 'invalid' : warnings.length ? 'warning' : 'valid';
  const error = [...problems, ...warnings].join('; ') || null;
  return {
    stream: stream.name,
    rawId,
    recordHash,
    rawJson,
    sourceTimestamp,
    status,
    error,
    metadata: meta.metadata ?? null,
    ...(meta.rawId === undefined && meta.countedId !== undefined ? { countEvery: true } : {}),
    file,
    api: meta.api,
  };
}
