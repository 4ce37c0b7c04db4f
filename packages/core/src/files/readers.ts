import type { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';
import type { ImportedFile } from './imported-file.js';
import { FileImportError } from '../errors.js';
import { readJsonDocument, type JsonDocumentItem } from './json-document.js';
import { zipEntries, type ZipEntry } from './zip.js';
import { parseJsonPrecise } from './precise-json.js';

export type { ImportedFile } from './imported-file.js';
export type { JsonDocumentItem } from './json-document.js';
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
  /** Elements of a top-level array, or of the first array inside a top-level object. */
  jsonDocument(file: ByteSource): AsyncIterable<JsonDocumentItem>;
  /** Entries of a zip archive as streams, never extracted to disk. */
  zipEntries(file: ImportedFile): AsyncIterable<ZipEntry>;
}

async function* lines(file: ByteSource): AsyncIterable<TextLine> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 0;
  let offset = 0;
  for await (const chunk of await file.open()) {
    let buf: Buffer = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl !== -1; nl = buf.indexOf(10, start)) {
      const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
      line++;
      yield { line, text: buf.toString('utf8', start, end), offset: offset + start };
      start = nl + 1;
    }
    offset += start;
    pending = buf.subarray(start);
    buf = pending;
  }
  if (pending.length) {
    line++;
    const end = pending[pending.length - 1] === 13 ? pending.length - 1 : pending.length;
    yield { line, text: pending.toString('utf8', 0, end), offset };
  }
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
