import { emit, sha256Hex, canonicalJson, type Emitted } from '@bronze/core';
import type { ManualConfig } from './config.js';
import { missingRequired } from './streams/file-rows.js';
import { fieldOf, idFieldOf } from './field-path.js';

/**
 * Rows with no id get raw_id `row:<sha256 of the row's canonical JSON>#<n>`, n counting
 * identical rows in the file: re-importing the file (or a longer version of it) maps each
 * row to the same id, and two identical rows (two equal purchases) stay two records.
 * The reader gives `row:<sha256>` as meta.countedId; core numbers it (in the database, so
 * memory does not grow with the file).
 */
export class RowIds {
  /** --id-field, or undefined for the default (`id`, or a wrapper's `<key>.id`: field-path.ts). */
  constructor(private readonly idField: string | undefined) {}
  of(record: unknown, prefix = 'row'): string | undefined {
    if (prefix === 'row') {
      const v = fieldOf(record, idFieldOf(record, this.idField));
      if (v !== undefined && v !== null && v !== '') return undefined; // the stream's id() reads it
    }
    return `${prefix}:${sha256Hex(canonicalJson(record).text)}`;
  }
}

/** A record to store, and the row it is (for choosing the timestamp field) when it is one. */
export interface Read {
  emitted: Emitted;
  row?: Record<string, unknown>;
}

export interface Reading {
  stream: string;
  ids: RowIds;
  config: ManualConfig;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A row: invalid when it lacks a field --id-field / --timestamp-field requires. */
export function rowRead(value: unknown, r: Reading, metadata: Record<string, unknown>, warning?: string): Read {
  const invalid = missingRequired(value, r.config);
  return { emitted: emit(value, { stream: r.stream, countedId: r.ids.of(value), metadata, invalid, warning }), row: isObject(value) ? value : undefined };
}
