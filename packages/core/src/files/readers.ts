import type { Readable } from 'node:stream';
import type { ImportedFile } from './imported-file.js';
import { FileImportError } from '../errors.js';
import { readJsonDocument, type JsonDocumentItem } from './json-document.js';
import { zipEntries, type ZipEntry } from './zip.js';
import { parseJsonPrecise } from './precise-json.js';
import { readCsv, type CsvOptions, type CsvRow } from './csv.js';
import { openText, type TextOptions } from './text-decoding.js';

export type { ImportedFile } from './imported-file.js';
export type { JsonDocumentItem } from './json-document.js';
export type { ZipEntry } from './zip.js';
export type { CsvOptions, CsvRow } from './csv.js';
export type { TextOptions } from './text-decoding.js';

/** Anything with bytes to read: an ImportedFile, or an entry inside an archive. */
export interface ByteSource {
  /** Shown in errors: the file path, or `archive.zip!entry/name`. */
  path: string;
  open(): Readable | Promise<Readable>;
  /** Told the encoding text readers decoded it with (ImportedFile records it in the rows). */
  decodedAs?(encoding: string): void;
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

/** Streaming readers for the formats export files come in (ctx.files). */
export interface FileReaders {
  /** Text readers decode any encoding (TextOptions.encoding, else detected: BOM, UTF-8, windows-1252). */
  lines(file: ByteSource, o?: TextOptions): AsyncIterable<TextLine>;
  jsonLines(file: ByteSource, o?: TextOptions): AsyncIterable<ParsedLine<unknown>>;
  /** Rows below the header; delimiter and header line detected unless given; the preamble first. */
  csv(file: ByteSource, o?: CsvOptions): AsyncIterable<CsvRow>;
  /** Elements of a top-level array, or of the first array inside a top-level object. */
  jsonDocument(file: ByteSource, o?: TextOptions): AsyncIterable<JsonDocumentItem>;
  /** Entries of a zip archive as streams, never extracted to disk. */
  zipEntries(file: ImportedFile): AsyncIterable<ZipEntry>;
}

async function* lines(file: ByteSource, o: TextOptions = {}): AsyncIterable<TextLine> {
  let pending: Buffer = Buffer.alloc(0);
  let line = 0;
  let offset = 0;
  for await (const chunk of await openText(file, o.encoding)) {
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

async function* jsonLines(file: ByteSource, o: TextOptions = {}): AsyncIterable<ParsedLine<unknown>> {
  for await (const l of lines(file, o)) {
    const text = l.line === 1 && l.text.charCodeAt(0) === 0xfeff ? l.text.slice(1) : l.text;
    if (text.trim() === '') continue;
    try {
      yield { line: l.line, value: parseJsonPrecise(text), text };
    } catch (err) {
      yield { line: l.line, error: `line ${l.line}: ${(err as Error).message}`, text };
    }
  }
}

export const fileReaders: FileReaders = { lines, jsonLines, csv: readCsv, jsonDocument: readJsonDocument, zipEntries };
