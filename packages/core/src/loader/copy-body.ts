import type { BronzeRow } from '../envelope/envelope.js';
import { textSafe } from '../envelope/record-values.js';
import { toJsonbSafe } from '../envelope/jsonb-safe.js';
import { escapeFields, putFields, type CopyFieldValue } from './copy-text.js';

/**
 * The COPY columns of a row that never change once the row is read, first in every line the
 * loader writes. raw_id (numbered later, see occurrences.ts) and version (decided in the
 * batch's transaction) follow them.
 */
export const BODY_COLUMNS = ['stream', 'raw_data', 'record_hash', 'source_timestamp', 'validation_status', 'error_message', 'metadata'] as const;

/** Text PostgreSQL can hold (no U+0000, no lone surrogate): a NUL in a zip entry name or header is written as \u0000. */
export const text = (s: string | undefined | null) => (s === undefined || s === null ? null : textSafe(s));

/** metadata as jsonb text; strings jsonb refuses (a NUL in a JSON path) are escaped like raw_data's. */
export function metadataJson(m: Record<string, unknown>): string {
  const json = JSON.stringify(m);
  return MAYBE_UNSAFE.test(json) ? JSON.stringify(toJsonbSafe(m)) : json;
}
const MAYBE_UNSAFE = /\\u(?:0000|[dD][89a-fA-F])/;

/** The BODY_COLUMNS of a row that still has its JSON text, into out[0..7). */
export function bodyFields(row: BronzeRow, out: CopyFieldValue[]): number {
  if (row.rawJson === null) throw new Error(`${row.stream} ${row.rawId}: the row's JSON text is already in its batch's COPY bytes`);
  out[0] = row.stream;
  out[1] = row.rawJson;
  out[2] = row.recordHash;
  out[3] = row.sourceTimestamp ? row.sourceTimestamp.toISOString() : null;
  out[4] = row.status;
  out[5] = text(row.error);
  out[6] = row.metadata ? metadataJson(row.metadata) : null;
  return BODY_COLUMNS.length;
}

const CHUNK_BYTES = 1 << 18;
/** Chunks kept for the next batches: two batches alive; 5,000 of the bench's Apple Health rows make ~2.6 MB of bodies, ~11 chunks (computed from its COPY files, not counted). */
const MAX_FREE_CHUNKS = 32;
const NO_CHUNK: Buffer = Buffer.alloc(0);

/**
 * Holds the rows of the batch being read as COPY bytes instead of JSON strings. A batch's
 * strings live until it is written, so every young-generation collection copied them, and
 * again when they were promoted: holding 5,000-row batches of Apple Health rows cost ~4.5 µs
 * of the ~20 µs per record of reading and enveloping, their bytes here 1.3–1.4 µs
 * (docs/benchmark-history.md, 2026-12-04). The escaping and UTF-8 encoding are the ones the
 * COPY would do anyway. Chunks come back with release() once their batch is written.
 */
export class CopyBodies {
  private chunk: Buffer = NO_CHUNK;
  private used = 0;
  private held: Buffer[] = [];
  private readonly free: Buffer[] = [];
  private readonly out: CopyFieldValue[] = [];

  /** Writes the row's BODY_COLUMNS into the current chunk; the row lets go of its JSON text. */
  hold(row: BronzeRow): void {
    const n = bodyFields(row, this.out);
    const most = escapeFields(this.out, n);
    if (this.used + most > this.chunk.length) this.nextChunk(most);
    const start = this.used;
    this.used = putFields(this.chunk, start, this.out, n);
    this.out.fill(null, 0, n);
    row.copyBody = { chunk: this.chunk, start, end: this.used };
    row.rawJson = null;
  }

  private nextChunk(most: number): void {
    this.chunk = most <= CHUNK_BYTES ? (this.free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES)) : Buffer.allocUnsafe(most);
    this.used = 0;
    this.held.push(this.chunk);
  }

  /** The chunks of the rows held since the last call (a batch's); the next row starts a new one. */
  takeChunks(): Buffer[] {
    const chunks = this.held;
    this.held = [];
    this.chunk = NO_CHUNK;
    this.used = 0;
    return chunks;
  }

  /** Once no row of theirs is read again (their batch is written): reused for later rows. */
  release(chunks: readonly Buffer[]): void {
    for (const c of chunks) if (c.length === CHUNK_BYTES && this.free.length < MAX_FREE_CHUNKS) this.free.push(c);
  }
}
