import { finished } from 'node:stream/promises';
import { parse as parseCsv } from 'csv-parse';
import { FileImportError } from '../errors.js';
import { CsvDialectError, delimiterOf, detectCsvDialect } from './csv-dialect.js';
import { openText, type TextOptions, type TextSource } from './text-decoding.js';

export interface CsvOptions {
  /** The file's encoding (default: detected, see openText). */
  encoding?: string;
  note?: TextOptions['note'];
  /** `,` `;` `tab` `|` or any one character (default: detected on the first lines). */
  delimiter?: string;
  /** Lines above the header, kept as the preamble (default: detected). */
  skipLines?: number;
  /**
   * A header naming a column twice fails the file (default), or with 'number' the later ones
   * are keyed `<name>#2`, `<name>#3`… (Strava's activities.csv has two `Distance` columns).
   */
  repeatedColumns?: 'fail' | 'number';
  /**
   * false: the file has no header row (bank exports that start with their first booking).
   * Every record is a row keyed `column_1`, `column_2`… by its own fields, so rows of another
   * width are rows too; lines above the table are preamble only with `skipLines`.
   */
  header?: boolean;
}

/** `column_1` … `column_n`: the keys of a row of a file without a header, and of unnamed columns. */
export const columnName = (i: number) => `column_${i + 1}`;

/** `Distance`, `Distance` → `Distance`, `Distance#2`; a suffixed name already taken is skipped. */
export function numberRepeatedColumns(header: string[]): string[] {
  const taken = new Set(header);
  const seen = new Map<string, number>();
  return header.map((h) => {
    const n = (seen.get(h) ?? 0) + 1;
    seen.set(h, n);
    if (n === 1) return h;
    let k = n;
    while (taken.has(`${h}#${k}`)) k++;
    taken.add(`${h}#${k}`);
    return `${h}#${k}`;
  });
}

export interface CsvRow {
  line: number;
  /** Header → value, when the row has as many fields as the header. */
  row?: Record<string, string>;
  /** The fields as read, always present. */
  fields: string[];
  error?: string;
  /** On the first record after the header only: the header's line and its names as written. */
  header?: { line: number; written: string[] };
  /**
   * The lines above the header (an account number, a period, a balance), as written.
   * Yielded once, before the first row, only when the file has such lines; `line` is 1.
   */
  preamble?: string[];
}

/** Enough of the file to see its delimiter and where the table starts below a preamble. */
const SAMPLE_BYTES = 64 * 1024;

/** Own property even for a column named `__proto__` (assignment would set the prototype). */
function rowOf(header: string[], record: string[], protoColumn: boolean): Record<string, string> {
  const row: Record<string, string> = {};
  if (protoColumn) {
    for (let i = 0; i < header.length; i++) Object.defineProperty(row, header[i], { value: record[i], enumerable: true, writable: true, configurable: true });
  } else for (let i = 0; i < header.length; i++) row[header[i]] = record[i];
  return row;
}

/** Where 1-based physical line `line` starts in the bytes (a line break inside quotes counts too). */
function lineOffset(bytes: Buffer, line: number, lineBreak: number): number {
  let at = 0;
  for (let n = 1; n < line; n++) {
    const i = bytes.indexOf(lineBreak, at);
    if (i === -1) return bytes.length;
    at = i + 1;
  }
  return at;
}

/**
 * CSV with a header row: delimiter and header line detected (or given), lines above the
 * header yielded as the preamble, any encoding (openText). Rows are parsed as the bytes
 * arrive and each one is yielded before the next chunk is read, so a file broken part-way
 * yields every row before the damage, then fails naming the line where the damage starts.
 */
export async function* readCsv(file: TextSource, o: CsvOptions = {}): AsyncIterable<CsvRow> {
  const text = await openText(file, o.encoding, o.note);
  const chunks = text[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const head: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < SAMPLE_BYTES) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    size += next.value.length;
  }
  let dialect;
  try {
    const delimiter = o.delimiter === undefined ? undefined : delimiterOf(o.delimiter);
    dialect = detectCsvDialect(Buffer.concat(head).toString('utf8'), done, { delimiter, skipLines: o.skipLines });
    // Without a header, a line of another width is a row, not a preamble: the table starts
    // at line 1 unless --skip-lines says otherwise (the delimiter is still detected).
    // A sep= line is still no row.
    if (o.header === false && o.skipLines === undefined) {
      const first = dialect.separatorLine ? 2 : 1;
      dialect = { ...dialect, headerLine: first, preamble: dialect.preamble.slice(0, first - 1) };
    }
  } catch (err) {
    text.destroy();
    if (err instanceof CsvDialectError) throw new FileImportError(file.path, err.message);
    throw err;
  }
  if (dialect.preamble.length) yield { line: 1, fields: [], preamble: dialect.preamble };

  const parsed: { record: string[]; line: number }[] = [];
  let failure: Error | undefined;
  // The line each record starts on, counted here: csv-parse's ctx.lines is the line a record
  // ends on, and counts a CR LF inside quotes as two lines (a booking with a two-line memo on
  // lines 2–3 of a CRLF file was `line 4`). A record spans as many lines as its fields hold
  // line breaks; skipped blank lines come from csv-parse's count of them.
  const lineBreak = dialect.crLines ? '\r' : '\n';
  let nextLine = dialect.headerLine;
  let blanksSeen = 0;
  const parser = parseCsv({
    bom: true,
    delimiter: dialect.delimiter,
    relax_column_count: true,
    // A stray quote inside an unquoted field (`Firma"`) is kept as written, not an error.
    relax_quotes: true,
    skip_empty_lines: true,
    // Detected from the first line end, CR alone would end the line before each LF: rows then
    // start with the LF, their quotes kept as text. Longest first, so CR CR LF is one line end.
    ...(dialect.doubledCr ? { record_delimiter: ['\r\r\n', '\r\n', '\n'] } : {}),
    on_record: (record: string[], ctx: { empty_lines: number }) => {
      const line = nextLine + ctx.empty_lines - blanksSeen;
      blanksSeen = ctx.empty_lines;
      let breaks = 0;
      for (const field of record) for (let i = field.indexOf(lineBreak); i !== -1; i = field.indexOf(lineBreak, i + 1)) breaks++;
      nextLine = line + breaks + 1;
      parsed.push({ record, line });
      return undefined; // kept here, not in the stream's buffer, so an error cannot discard it
    },
  });
  parser.on('error', (err) => (failure ??= err));
  parser.resume();

  let header: string[] | undefined;
  let headerRead: CsvRow['header'];
  let protoColumn = false;
  function* drain(): Generator<CsvRow> {
    for (const { record, line } of parsed.splice(0)) {
      if (o.header === false) {
        yield { line, row: rowOf(record.map((_, i) => columnName(i)), record, false), fields: record };
        continue;
      }
      if (!header) {
        header = record.map((h, i) => (h.trim() === '' ? columnName(i) : h));
        if (o.repeatedColumns === 'number') header = numberRepeatedColumns(header);
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) throw new FileImportError(file.path, `line ${line}: the header names column "${dup}" twice`);
        protoColumn = header.includes('__proto__');
        headerRead = { line, written: record };
        continue;
      }
      const about = headerRead ? { header: headerRead } : {};
      headerRead = undefined;
      if (record.length !== header.length) {
        yield { line, fields: record, error: `line ${line}: ${record.length} fields where the header has ${header.length}`, ...about };
        continue;
      }
      yield { line, row: rowOf(header, record, protoColumn), fields: record, ...about };
    }
  }

  try {
    const feed = async function* () {
      // The parser starts at the header's first byte, not at csv-parse's from_line: that counts
      // a CR LF inside quotes as two lines, so a preamble field of two lines (a bank's address)
      // in a CRLF file made it start a line early, a preamble line the header.
      const sample = Buffer.concat(head);
      yield sample.subarray(lineOffset(sample, dialect.headerLine, dialect.crLines ? 0x0d : 0x0a));
      while (!done) {
        const next = await chunks.next();
        if (next.done) done = true;
        else yield next.value;
      }
    };
    for await (const chunk of feed()) {
      parser.write(chunk); // parses synchronously: records land in `parsed`
      yield* drain();
      if (failure) break;
    }
    if (!failure) {
      parser.end();
      await finished(parser).catch((err: Error) => (failure ??= err));
    }
    yield* drain();
  } finally {
    text.destroy();
    parser.destroy();
  }
  if (failure) {
    throw new FileImportError(file.path, `line ${nextLine}: not valid CSV from here on, rows above it are kept (${failure.message})`);
  }
  if (!header && o.header !== false) throw new FileImportError(file.path, 'has no header row');
}
