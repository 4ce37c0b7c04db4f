/** A by-field cursor as stored in bronze_state: an ISO instant (time fields) or an id. */
export type CursorValue = string | number;

export type CursorType = 'time' | 'id';

/**
 * The cursor value of a field, or undefined when the record has none usable. Times become
 * ISO strings (numbers are taken as Unix seconds below 1e11, else milliseconds) so that a
 * stored cursor is readable and compares as text.
 */
export function cursorValueOf(value: unknown, type: CursorType): CursorValue | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (type === 'id') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' || typeof value === 'bigint') return String(value);
    return typeof value === 'object' && 'toString' in (value as object) ? String(value) : undefined;
  }
  const d = value instanceof Date ? value : typeof value === 'number' ? new Date(value < 1e11 ? value * 1000 : value) : new Date(String(value));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** Ids compare as numbers when both are integers (as text of any length), else as text. */
export function compareCursor(a: CursorValue, b: CursorValue): number {
  const ia = integerText(a);
  const ib = integerText(b);
  if (ia !== undefined && ib !== undefined) {
    const x = BigInt(ia);
    const y = BigInt(ib);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function integerText(v: CursorValue): string | undefined {
  const s = String(v);
  return /^-?\d+$/.test(s) ? s : undefined;
}

export function laterCursor(a: CursorValue | undefined, b: CursorValue | undefined): CursorValue | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareCursor(a, b) >= 0 ? a : b;
}
