import { Type, type TSchema } from '@bronze/core';
import type { Stream } from '@bronze/core';
import type { ManualConfig } from '../config.js';
import { findTimestampField, parseInstant } from '../timestamp.js';

export type ManualRow = Record<string, unknown>;

const Scalar = Type.Union([Type.String({ minLength: 1 }), Type.Number()]);

/**
 * A row must be a JSON object. With --id-field the field must be there and be a
 * non-empty string or a number; with --timestamp-field likewise.
 */
export function rowSchema(config: ManualConfig): TSchema {
  const required: Record<string, TSchema> = {};
  if (config.idField) required[config.idField] = Scalar;
  if (config.timestampField) required[config.timestampField] = Scalar;
  return Type.Object(required, { additionalProperties: true, description: 'one row of a hand-kept file' });
}

/** One stream per file (named after it, or --stream): rows of a hand-kept file. */
export function fileRowsStream(name: string, config: ManualConfig): Stream<ManualRow> {
  const idField = config.idField ?? 'id';
  return {
    name,
    schema: rowSchema(config),
    id(row) {
      const v = row[idField];
      if (v === undefined || v === null || v === '') throw new Error(`the row has no "${idField}" field`);
      // The value itself: core turns it into raw_id, refusing objects, arrays and booleans
      // rather than letting String() merge them ([object Object], "true", "1,2").
      return v as string;
    },
    timestamp(row) {
      const field = findTimestampField(row, config.timestampField);
      if (field === undefined) return undefined;
      const value = row[field];
      const at = parseInstant(value);
      if (at === undefined && value !== undefined && value !== '') throw new Error(`"${field}" is ${JSON.stringify(value)}, not a date`);
      return at;
    },
  };
}
