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

/** Text chunks of about `chunkChars` characters, each made of whole lines. */
export function* copyChunks<T>(items: readonly T[], line: (item: T) => string, chunkChars = 1 << 16): Generator<string> {
  let chunk = '';
  for (const item of items) {
    chunk += line(item);
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
