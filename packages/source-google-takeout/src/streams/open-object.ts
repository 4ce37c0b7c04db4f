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
