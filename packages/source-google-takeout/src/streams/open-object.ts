/** Fields Google adds in later exports are kept, never refused. */
export const open = { additionalProperties: true } as const;

type Json = Record<string, unknown>;

/** `record.a.b.c` when each step is an object, else undefined. */
export function at(record: unknown, ...keys: string[]): unknown {
  let v: unknown = record;
  for (const k of keys) v = v && typeof v === 'object' && !Array.isArray(v) ? (v as Json)[k] : undefined;
  return v;
}

/** The text of a scalar id part (numbers as their digits: `JsonNumber` prints its value), '' when absent. */
export const part = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'object' && !('literal' in (v as object)) ? JSON.stringify(v) : String(v));

/**
 * An id composed of text parts (`time|titleUrl|title`). A part that is neither text, a number
 * nor absent (an object, array or boolean: `true` would read as "true") is returned itself:
 * core refuses it, so the record is stored invalid keyed by its hash, never merged with another.
 */
export const composedId = (parts: unknown[], text: () => string): unknown =>
  parts.find((v) => v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number' && !(typeof v === 'object' && 'literal' in v)) ?? text();
