/**
 * PostgreSQL COPY text format: one line per row, columns separated by a tab, `\N` for
 * NULL, and backslash, tab, newline and carriage return escaped with a backslash.
 */
const SPECIAL = /[\\\t\n\r]/;

export function copyField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  if (!SPECIAL.test(value)) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\') out += '\\\\';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else out += c;
  }
  return out;
}

/**
 * Bytes held in a larger buffer (a row's body in its batch's chunk, see copy-body.ts),
 * copied from there into the COPY chunk without a view object per row.
 */
export interface ByteSpan {
  chunk: Buffer;
  start: number;
  end: number;
}

/**
 * One COPY field: text (escaped here), NULL, or bytes already in COPY form (one or more
 * fields with their tabs, escaped: a run's or a file's constant columns, encoded once; a
 * row's body).
 */
export type CopyFieldValue = string | null | Uint8Array | ByteSpan;

/**
 * Escapes the text fields of out[0..n) in place; returns an upper bound of the line's UTF-8
 * bytes (UTF-8 needs at most 3 bytes per UTF-16 code unit), separators and newline included.
 */
export function escapeFields(out: CopyFieldValue[], n: number): number {
  let most = n;
  for (let j = 0; j < n; j++) {
    const v = out[j];
    if (typeof v === 'string') {
      const text = copyField(v);
      out[j] = text;
      most += text.length * 3;
    } else if (v === null) most += 2;
    else if (v instanceof Uint8Array) most += v.length;
    else most += v.end - v.start;
  }
  return most;
}

/** Writes out[0..n) (escaped by escapeFields) tab-separated at `at`, without the newline; returns the end. */
export function putFields(buf: Buffer, at: number, out: CopyFieldValue[], n: number): number {
  let used = at;
  for (let j = 0; j < n; j++) {
    const v = out[j];
    if (j) buf[used++] = 0x09;
    if (v === null) {
      buf[used++] = 0x5c;
      buf[used++] = 0x4e;
    } else if (typeof v === 'string') used = putText(buf, used, v);
    else if (v instanceof Uint8Array) {
      buf.set(v, used);
      used += v.length;
    } else used += v.chunk.copy(buf, used, v.start, v.end);
  }
  return used;
}

/**
 * COPY data as UTF-8 chunks, each line's fields written straight into the chunk, tab-separated,
 * with a newline. No line string to build, flatten and encode (it cost ~1.2 KB of garbage and a
 * copy per Apple Health row), and never one string of many lines encoded at once (4–6× the
 * cost: a rope of thousands of pieces, two-byte as soon as one line leaves Latin-1;
 * docs/benchmark-history.md). `fields` fills `out` with the item's fields and returns how
 * many; `out` is reused for every item.
 */
export function* copyFieldChunks<T>(items: readonly T[], fields: (item: T, out: CopyFieldValue[]) => number, chunkBytes = 1 << 16): Generator<Buffer> {
  const out: CopyFieldValue[] = [];
  let buf = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  for (const item of items) {
    const n = fields(item, out);
    const most = escapeFields(out, n);
    if (used + most > buf.length) {
      if (used) yield buf.subarray(0, used);
      // A yielded chunk is never written again: the next lines go to a new buffer.
      buf = Buffer.allocUnsafe(Math.max(chunkBytes, most));
      used = 0;
    }
    used = putFields(buf, used, out, n);
    buf[used++] = 0x0a;
    out.fill(null, 0, n);
  }
  if (used) yield buf.subarray(0, used);
}

/** Writes `s` as UTF-8 at `at`; short ASCII text (most fields) byte by byte, without a native call. */
function putText(buf: Buffer, at: number, s: string): number {
  const n = s.length;
  if (n <= 64) {
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    if (i === n) return at + n;
  }
  return at + buf.write(s, at);
}

/** Fields in COPY form, tab-separated, as UTF-8: written once, copied into every line. */
export function copyFieldBytes(values: readonly (string | number | null | undefined)[]): Buffer {
  return Buffer.from(values.map(copyField).join('\t'));
}
