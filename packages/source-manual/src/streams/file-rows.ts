import { Type, type Stream } from '@bronze/core';
import type { ManualConfig } from '../config.js';
import { choicesOf } from '../run-state.js';
import { readInstant } from '../timestamp.js';
import { excelSerialInstant } from '../xlsx/excel-dates.js';
import { fieldOf, idFieldOf } from '../field-path.js';

export type ManualRow = Record<string, unknown>;

/**
 * Any JSON object. The fields --id-field and --timestamp-field make required are checked
 * by the reader, which knows a row from a file's preamble or the rest of a JSON document
 * (records that are not rows and need not have them).
 */
export const rowSchema = Type.Object({}, { additionalProperties: true, description: 'one row of a hand-kept file' });

/** Why a row lacks a field --id-field / --timestamp-field requires, or undefined. */
export function missingRequired(row: unknown, config: ManualConfig): string | undefined {
  const problems: string[] = [];
  for (const f of [config.idField, config.timestampField]) {
    if (f === undefined) continue;
    const v = fieldOf(row, f);
    if (v === undefined) problems.push(`/${f}: Expected required property`);
    else if (!((typeof v === 'string' && v !== '') || typeof v === 'number')) problems.push(`/${f}: Expected a non-empty string or a number`);
  }
  return problems.length ? problems.join('; ') : undefined;
}

/** One stream per file (named after it, or --stream): rows of a hand-kept file. */
export function fileRowsStream(name: string, config: ManualConfig): Stream<ManualRow> {
  return {
    name,
    schema: rowSchema,
    id(row) {
      const idField = idFieldOf(row, config.idField);
      const v = fieldOf(row, idField);
      if (v === undefined || v === null || v === '') throw new Error(`the row has no "${idField}" field`);
      // The value itself: core turns it into raw_id, refusing objects, arrays and booleans
      // rather than letting String() merge them ([object Object], "true", "1,2").
      return v as string;
    },
    timestamp(row) {
      const choice = choicesOf(config).get(name);
      if (!choice?.field) return undefined;
      const value = fieldOf(row, choice.field);
      if (value === undefined || value === null || value === '') return undefined;
      const reading = choice.serialDates && typeof value === 'number' ? excelSerialInstant(value, choice.serialDates === '1904') : readInstant(value, choice.format);
      if (!reading) throw new Error(`${choice.field} is ${JSON.stringify(value)}, not a date`);
      if (reading.problem !== undefined) throw new Error(`${choice.field}: ${reading.problem}; stored without source_timestamp`);
      return reading.at;
    },
  };
}
