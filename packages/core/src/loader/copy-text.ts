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
 * COPY data as UTF-8 chunks of about `chunkBytes` bytes, each made of whole lines. Each line
 * is encoded as it is made: one long string of many lines, encoded at once, cost 4–6× as much
 * (a rope of thousands of pieces to flatten, two-byte as soon as one line holds a character
 * beyond Latin-1; 20,000 Apple Health rows: 312–567 ms against 57–139 ms, and 18% of an
 * ingest's own CPU went to that encoding: docs/benchmark-history.md).
 */
export function* copyChunks<T>(items: readonly T[], line: (item: T) => string, chunkBytes = 1 << 16): Generator<Buffer> {
  let buf = Buffer.allocUnsafe(chunkBytes);
  let used = 0;
  for (const item of items) {
    const text = line(item);
    // UTF-8 needs at most 3 bytes per UTF-16 code unit; the exact count only for a long line.
    const most = text.length * 3;
    if (used + most > buf.length) {
      if (used) yield buf.subarray(0, used);
      // A yielded chunk is never written again: the next lines go to a new buffer.
      buf = Buffer.allocUnsafe(most <= chunkBytes ? chunkBytes : Math.max(chunkBytes, Buffer.byteLength(text)));
      used = 0;
    }
    used += buf.write(text, used);
  }
  if (used) yield buf.subarray(0, used);
}
