import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type { ImportedFile } from './imported-file.js';
import { FileImportError } from '../errors.js';
import { readJsonDocument, type JsonDocumentItem, type JsonDocumentOptions } from './json-document.js';
import { zipEntries, type ZipEntry } from './zip.js';
import { parseJsonPrecise } from './precise-json.js';

export type { ImportedFile } from './imported-file.js';
export type { JsonDocumentItem, JsonDocumentOptions } from './json-document.js';
export type { ZipEntry } from './zip.js';

/** Anything with bytes to read: an ImportedFile, or an entry inside an archive. */
export interface ByteSource {
  /** Shown in errors: the file path, or `archive.zip!entry/name`. */
  path: string;
  open(): Readable | Promise<Readable>;
}

export interface TextLine {
  /** 1-based line number. */
  line: number;
  text: string;
  /** Byte offset of the line's start in the (decompressed) file. */
  offset: number;
}

export interface ParsedLine<T> {
  line: number;
  /** The parsed value, or undefined when the line could not be parsed. */
  value?: T;
  /** What was wrong with the line, naming it ("line 7: …"). */
  error?: string;
  text: string;
}

export interface CsvRow {
  line: number;
  /** Header → value, when the row has as many fields as the header. */
  row?: Record<string, string>;
  /** The fields as read, always present. */
  fields: string[];
  error?: string;
}

/** Streaming readers for the formats export files come in (ctx.files). */
export interface FileReaders {
  lines(file: ByteSource): AsyncIterable<TextLine>;
  jsonLines(file: ByteSource): AsyncIterable<ParsedLine<unknown>>;
  csv(file: ByteSource): AsyncIterable<CsvRow>;
  /**
   * The records of a JSON file: a top-level array's elements; otherwise the whole document,
   * or with `recordsPath` (a JSON Pointer) that array's elements plus the rest of the object.
   */
  jsonDocument(file: ByteSource, options?: JsonDocumentOptions): AsyncIterable<JsonDocumentItem>;
  /** Entries of a zip archive as streams, never extracted to disk. */
  zipEntries(file: ImportedFile): AsyncIterable<ZipEntry>;
}

/**
 * Lines of a file, split on \n (a \r before it dropped). A line longer than a read chunk
 * is collected as a list of chunks and joined once when it ends, so a 200 MB line costs
 * one copy, not one per chunk (linear, not quadratic).
 */
async function* lines(file: ByteSource): AsyncIterable<TextLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let offset = 0;
  for await (const data of await file.open()) {
    const chunk = data as Buffer;
    let start = 0;
    let nl = chunk.indexOf(10);
    if (nl === -1) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      continue;
    }
    if (pending.length) {
      pending.push(chunk.subarray(0, nl + 1));
      const joined = Buffer.concat(pending, pendingBytes + nl + 1);
      pending = [];
      pendingBytes = 0;
      yield { line: ++line, text: textOf(joined, 0, joined.length - 1), offset };
      offset += joined.length;
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    for (; nl !== -1; nl = chunk.indexOf(10, start)) {
      yield { line: ++line, text: textOf(chunk, start, nl), offset };
      offset += nl + 1 - start;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
    }
  }
  if (pendingBytes) {
    const rest = Buffer.concat(pending, pendingBytes);
    yield { line: ++line, text: textOf(rest, 0, rest.length), offset };
  }
}

/** The UTF-8 text of buf[start, end), without a \r just before end. */
function textOf(buf: Buffer, start: number, end: number): string {
  return buf.toString('utf8', start, end > start && buf[end - 1] === 13 ? end - 1 : end);
}

async function* jsonLines(file: ByteSource): AsyncIterable<ParsedLine<unknown>> {
  for await (const l of lines(file)) {
    const text = l.line === 1 && l.text.charCodeAt(0) === 0xfeff ? l.text.slice(1) : l.text;
    if (text.trim() === '') continue;
    try {
      yield { line: l.line, value: parseJsonPrecise(text), text };
    } catch (err) {
      yield { line: l.line, error: `line ${l.line}: ${(err as Error).message}`, text };
    }
  }
}

async function* csv(file: ByteSource): AsyncIterable<CsvRow> {
  const parser = (await file.open()).pipe(
    parseCsv({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (!header) {
        header = record.map((h, i) => (h.trim() === '' ? `column_${i + 1}` : h));
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup !== undefined) throw new FileImportError(file.path, `line ${info.lines}: the header names column "${dup}" twice`);
        continue;
      }
      if (record.length !== header.length) {
        yield {
          line: info.lines,
          fields: record,
          error: `line ${info.lines}: ${record.length} fields where the header has ${header.length}`,
        };
        continue;
      }
      const row: Record<string, string> = {};
      for (let i = 0; i < header.length; i++) row[header[i]] = record[i];
      yield { line: info.lines, row, fields: record };
    }
  } catch (err) {
    if (err instanceof FileImportError) throw err;
    throw new FileImportError(file.path, `not valid CSV: ${(err as Error).message}`);
  }
  if (!header) throw new FileImportError(file.path, 'has no header row');
}

export const fileReaders: FileReaders = { lines, jsonLines, csv, jsonDocument: readJsonDocument, zipEntries };
