import { createHash } from 'node:crypto';
import { rawIdOf } from '../envelope/record-values.js';
import type { ByFieldKind, ByFieldState } from './api-stream-types.js';
import { compareCursor, type CursorValue } from './cursor-values.js';

export type ListedState = ByFieldState & Record<string, unknown>;

/** The first 16 hex digits of sha256 over the key's JSON: what `seen` keeps of a record's key. */
export function keyHash(key: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(key) ?? 'null')
    .digest('hex')
    .slice(0, 16);
}

const RESERVED = new Set(['cursor', 'backfill', 'seen', 'count', 'etags']);

/**
 * What a by-field stream remembers of its listing beside the cursor: the records of the
 * overlap already handled and their key (`unchanged`), how many it handled in all, and the
 * values it collects. Loaded from the saved state; the state it gives back commits with the
 * cursor, so nothing here is ever ahead of the rows it stands for.
 */
export class ListedMemory {
  private readonly seen: Record<string, [CursorValue, string]>;
  private count: number;
  private readonly collected = new Map<string, Set<string>>();
  private last: ListedState;
  /** The state as this read found it. */
  readonly saved: ListedState;
  /** Something changed that the next checkpoint must carry even when the cursor did not move. */
  dirty = false;

  constructor(
    private readonly kind: ByFieldKind,
    private readonly idOf: (listed: unknown) => unknown,
    saved: ListedState | undefined,
  ) {
    this.seen = { ...(saved?.seen as Record<string, [CursorValue, string]> | undefined) };
    this.count = typeof saved?.count === 'number' ? saved.count : 0;
    for (const name of Object.keys(kind.collect ?? {})) {
      const before = saved?.[name];
      this.collected.set(name, new Set(Array.isArray(before) ? before.map(String) : []));
    }
    this.saved = saved ?? {};
    this.last = this.saved;
  }

  /** Gathers the `collect` values of a listed record. */
  collect(listed: unknown): void {
    for (const [name, valuesOf] of Object.entries(this.kind.collect ?? {})) {
      const set = this.collected.get(name)!;
      for (const v of [valuesOf(listed)].flat()) {
        if ((typeof v !== 'string' && typeof v !== 'number') || v === '' || set.has(String(v))) continue;
        set.add(String(v));
        this.dirty = true;
      }
    }
  }

  /** True when this record was handled before with the same key: no rows, no request. */
  unchanged(listed: unknown, value: CursorValue | undefined): boolean {
    const id = this.idText(listed);
    if (!this.kind.unchanged || id === undefined || value === undefined) return false;
    return this.seen[id]?.[1] === keyHash(this.kind.unchanged.key(listed));
  }

  /** The record's rows were handed over: remember it (records without a field value are not kept). */
  handled(listed: unknown, value: CursorValue | undefined): void {
    const id = this.idText(listed);
    if (!this.kind.unchanged || id === undefined || value === undefined) return;
    if (!this.seen[id]) this.count++;
    this.seen[id] = [value, keyHash(this.kind.unchanged.key(listed))];
    this.dirty = true;
  }

  /** The state to save with `base` (the cursor or a backfill position), `seen` pruned below the overlap. */
  state(base: ByFieldState): ListedState {
    this.dirty = false;
    const out: ListedState = { ...base };
    if (this.kind.unchanged) {
      const floor = base.cursor === undefined ? undefined : this.floor(base.cursor);
      for (const [id, [at]] of Object.entries(this.seen)) if (floor !== undefined && compareCursor(at, floor) < 0) delete this.seen[id];
      Object.assign(out, { seen: { ...this.seen }, count: this.count });
    }
    for (const [name, set] of this.collected) out[name] = [...set].sort();
    this.last = out;
    return out;
  }

  /** The last state given (or the saved one): what onEnd sees. */
  get latest(): ListedState {
    return this.last;
  }

  private floor(cursor: CursorValue): CursorValue {
    if ((this.kind.type ?? 'time') !== 'time') return cursor;
    return new Date(Date.parse(String(cursor)) - (this.kind.overlapMs ?? 0)).toISOString();
  }

  /** The listed record's raw_id as core would make it; none (never skipped) when it has no usable id. */
  private idText(listed: unknown): string | undefined {
    try {
      return rawIdOf(this.idOf(listed), '').rawId;
    } catch {
      return undefined;
    }
  }
}

/** Refuses combinations of by-field options that cannot work, when the stream is declared. */
export function checkByFieldOptions(name: string, kind: ByFieldKind): void {
  const refuse = (why: string) => {
    throw new Error(`stream ${name}: ${why}`);
  };
  if (kind.stopAtCursor && kind.order !== 'descending') refuse("stopAtCursor needs order: 'descending' (a newest-first listing)");
  if (kind.stopAtCursor && kind.backfill) refuse('stopAtCursor cannot read backfill windows');
  if (kind.unchanged && kind.backfill) refuse('unchanged needs a listing after the cursor, not backfill windows');
  for (const key of Object.keys(kind.collect ?? {})) if (RESERVED.has(key)) refuse(`collect cannot name a value ${key}: the state uses that name`);
}
