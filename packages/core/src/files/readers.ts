import type { Readable } from 'node:stream';
import type { ImportedFile } from './imported-file.js';
import { FileImportError } from '../errors.js';
import { readJsonDocument, type JsonDocumentItem, type JsonDocumentOptions } from './json-document.js';
import { zipEntries, type ZipEntry } from './zip.js';
import { parseJsonPrecise } from './precise-json.js';
import { readCsv, type CsvOptions, type CsvRow } from './csv.js';
import { openText, type TextOptions } from './text-decoding.js';

import type { ByteSource } from './byte-source.js';
export type { ByteSource } from './byte-source.js';
export type { ImportedFile } from './imported-file.js';
export type { JsonDocumentItem, JsonDocumentOptions } from './json-document.js';
export type { ZipEntry } from './zip.js';
export type { CsvOptions, CsvRow } from './csv.js';
export type { TextOptions } from './text-decoding.js';


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
  /**
   * The records of a JSON file: a top-level array's elements; otherwise the whole document,
   * or with `recordsPath` (a JSON Pointer) that array's elements plus the rest of the object.
   */
  jsonDocument(file: ByteSource, options?: JsonDocumentOptions & TextOptions): AsyncIterable<JsonDocumentItem>;
  /** Entries of a zip archive as streams, never extracted to disk. */
  zipEntries(file: ImportedFile): AsyncIterable<ZipEntry>;
}

/**
 * Lines of a file, split on \n (a \r before it dropped). A line longer than a read chunk
 * is collected as a list of chunks and joined once when it ends, so a 200 MB line costs
 * one copy, not one per chunk (linear, not quadratic).
 */
async function* lines(file: ByteSource, o: TextOptions = {}): AsyncIterable<TextLine> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  let offset = 0;
  for await (const data of await openText(file, o.encoding, o.note)) {
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

/**
 * ctx.files: the readers, with the run's notes as where a word on a file's decoding goes
 * (TextOptions.note), unless the caller gives its own. `note` is asked at each call: a worker
 * thread sets ctx.note after the context is made.
 */
export function readersNoting(note: () => ((text: string) => void) | undefined): FileReaders {
  const o = <T extends { note?: (text: string) => void }>(given?: T): T => ({ note: note(), ...given }) as T;
  return {
    lines: (file, given) => lines(file, o(given)),
    jsonLines: (file, given) => jsonLines(file, o(given)),
    csv: (file, given) => readCsv(file, o(given)),
    jsonDocument: (file, given) => readJsonDocument(file, o(given)),
    zipEntries,
  };
}

