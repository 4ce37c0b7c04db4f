import { basename } from 'node:path';
import { dataLikeNames, findBinaryByte, emit, FileImportError, sha256Hex, canonicalJson, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import type { ManualConfig } from './config.js';
import { streamNameOf } from './stream-name.js';
import { choicesOf, dateFormatOf } from './run-state.js';
import { chooseTimestampField, SAMPLE_ROWS } from './timestamp-field.js';
import { missingRequired } from './streams/file-rows.js';
import { headerAbove, headerLooksLikeData } from './header-check.js';
import { headerKeys, rowWithEmptyTail } from './empty-trailing-fields.js';
import { codePageNote, misreadCodePageText } from './encoding-check.js';
import { readWorkbook } from './xlsx/read-workbook.js';
import { unknownTypeMessage } from './file-types.js';
import { headOf, isUtf16, unmarkedUtf16 } from './unmarked-utf16.js';

export type ManualFormat = 'csv' | 'json' | 'jsonl' | 'xlsx';

export function formatOf(path: string): ManualFormat | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  if (p.endsWith('.xlsx') || p.endsWith('.xlsm')) return 'xlsx';
  return undefined;
}

/**
 * Rows with no id get raw_id `row:<sha256 of the row's canonical JSON>#<n>`, n counting
 * identical rows in the file: re-importing the file (or a longer version of it) maps each
 * row to the same id, and two identical rows (two equal purchases) stay two records.
 * The reader gives `row:<sha256>` as meta.countedId; core numbers it (in the database, so
 * memory does not grow with the file).
 */
class RowIds {
  constructor(private readonly idField: string) {}
  of(record: unknown, prefix = 'row'): string | undefined {
    if (prefix === 'row' && record && typeof record === 'object' && !Array.isArray(record)) {
      const v = (record as Record<string, unknown>)[this.idField];
      if (v !== undefined && v !== null && v !== '') return undefined; // the stream's id() reads it
    }
    return `${prefix}:${sha256Hex(canonicalJson(record).text)}`;
  }
}

/** A record to store, and the row it is (for choosing the timestamp field) when it is one. */
interface Read {
  emitted: Emitted;
  row?: Record<string, unknown>;
}

interface Reading {
  stream: string;
  ids: RowIds;
  config: ManualConfig;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A row: invalid when it lacks a field --id-field / --timestamp-field requires. */
function rowRead(value: unknown, r: Reading, metadata: Record<string, unknown>, warning?: string): Read {
  const invalid = missingRequired(value, r.config);
  return { emitted: emit(value, { stream: r.stream, countedId: r.ids.of(value), metadata, invalid, warning }), row: isObject(value) ? value : undefined };
}

async function* csvRecords(file: ImportedFile, r: Reading, ctx: SourceContext): AsyncIterable<Read> {
  const { stream, ids, config } = r;
  const options = { encoding: config.encoding, delimiter: config.delimiter, skipLines: config.skipLines, header: !config.noHeader, repeatedColumns: 'number' as const };
  let headerWarning: string | undefined;
  let preamble: string[] = [];
  let keys: string[] | undefined;
  let header: { line: number; written: string[] } | undefined;
  const emptyTails: number[] = [];
  let rows = 0;
  for await (const c of ctx.files.csv(file, options)) {
    if (!c.preamble) rows++;
    if (c.preamble) {
      // The lines above the header (account, period, balance), as written: one record.
      preamble = c.preamble;
      const record = { preamble: c.preamble };
      yield { emitted: emit(record, { stream, countedId: ids.of(record, 'preamble'), metadata: { line: 1, role: 'preamble' } }) };
    } else {
      if (c.header) {
        headerWarning = headerNotes(file, c.header, preamble, ctx);
        keys = headerKeys(c.header.written);
        header = c.header;
      }
      const tailed = c.row || !keys ? undefined : rowWithEmptyTail(keys, c.fields);
      if (tailed) emptyTails.push(c.line);
      const row = c.row ?? tailed;
      const repeat = header && repeatsHeader(c.fields, header.written) ? `line ${c.line} repeats the header row (line ${header.line}): no record of the table` : undefined;
      if (row) {
        const read = rowRead(row, r, { line: c.line }, [headerWarning, repeat].filter(Boolean).join('; ') || undefined);
        // Not in the sample the timestamp field is chosen on: "Date" under Date is no date.
        yield repeat ? { emitted: read.emitted } : read;
      }
      else {
        const bad = { line: c.line, fields: c.fields };
        yield { emitted: emit(bad, { stream, invalid: c.error, countedId: ids.of(c.fields, 'invalid'), metadata: { line: c.line } }) };
      }
    }
  }
  if (rows === 0 && !config.noHeader) {
    // A header and nothing below: perhaps a one-booking export without a header row.
    const note = await onlyHeaderNote(file, { ...options, header: false, skipLines: preamble.length }, ctx);
    if (note) ctx.note?.(note);
  }
  if (emptyTails.length) {
    const lines = emptyTails.length === 1 ? `line ${emptyTails[0]}` : `${emptyTails.length} rows (lines ${emptyTails[0]}…${emptyTails[emptyTails.length - 1]})`;
    ctx.note?.(`${basename(file.path)}: ${lines} end in empty fields beyond the header's ${keys!.length} columns; kept as "column_${keys!.length + 1}"…`);
  }
}

/**
 * A row that spells the header again (tables converted from PDF statements repeat it on
 * every page): stored as written, `warning`, so a silver layer does not take it for a booking.
 */
function repeatsHeader(fields: string[], written: string[]): boolean {
  if (fields.length < written.length) return false;
  for (let i = 0; i < fields.length; i++) if (fields[i] !== (written[i] ?? '')) return false;
  return true;
}

/** "only a header row (line N: "a", "b"…)…" for a CSV file whose header has no row below it. */
async function onlyHeaderNote(file: ImportedFile, options: Parameters<SourceContext['files']['csv']>[1], ctx: SourceContext): Promise<string | undefined> {
  for await (const c of ctx.files.csv(file, options)) {
    if (c.preamble) continue;
    const shown = c.fields.slice(0, 8).map((f) => JSON.stringify(f)).join(', ') + (c.fields.length > 8 ? ', …' : '');
    return `${basename(file.path)}: only a header row (line ${c.line}: ${shown}), nothing below it: if that line is data, import it again with --no-header`;
  }
  return undefined;
}

/**
 * What the first row tells of the header: names repeated (the later ones are keyed `name#2`…,
 * said in the summary), or names that look like data (the warning every row then carries,
 * pointing at a preamble line that reads as the header, when there is one).
 */
function headerNotes(file: ImportedFile, header: { line: number; written: string[] }, preamble: string[], ctx: SourceContext): string | undefined {
  const repeated = [...new Set(header.written.filter((n, i) => n.trim() !== '' && header.written.indexOf(n) !== i))];
  if (repeated.length) {
    const shown = repeated.map((n) => JSON.stringify(n)).join(', ');
    ctx.note?.(`${basename(file.path)}: line ${header.line} names ${shown} more than once; the later columns are keyed "<name>#2", "#3"…`);
  }
  const dataLike = dataLikeNames(header.written);
  return dataLike.length ? headerLooksLikeData(dataLike, header.line, headerAbove(preamble)) : undefined;
}

async function* jsonLinesRecords(file: ImportedFile, r: Reading, ctx: SourceContext): AsyncIterable<Read> {
  for await (const l of ctx.files.jsonLines(file, { encoding: r.config.encoding })) {
    if (l.error === undefined) yield rowRead(l.value, r, { line: l.line });
    else yield { emitted: emit({ line: l.line, text: l.text }, { stream: r.stream, invalid: l.error, countedId: r.ids.of(l.text, 'invalid'), metadata: { line: l.line } }) };
  }
}

/**
 * A JSON document: a top-level array's items; an object as one record ('document');
 * with --records-path, the items of that array plus the object without it ('rest',
 * raw_id `rest:<hash>#1`), so no key of the file is dropped.
 */
async function* jsonDocumentRecords(file: ImportedFile, r: Reading, ctx: SourceContext): AsyncIterable<Read> {
  const options = { encoding: r.config.encoding, recordsPath: r.config.recordsPath };
  for await (const item of ctx.files.jsonDocument(file, options)) {
    const role = (item as { role?: string }).role ?? 'item';
    if (role === 'rest') {
      yield { emitted: emit(item.value, { stream: r.stream, countedId: r.ids.of(item.value, 'rest'), metadata: { path: item.path, role } }) };
    } else yield rowRead(item.value, r, role === 'item' ? { path: item.path } : { path: item.path, role });
  }
}

export async function* readManualFile(file: ImportedFile, config: ManualConfig, ctx: SourceContext): AsyncIterable<Emitted> {
  const format = formatOf(file.path);
  if (!format) throw new FileImportError(file.path, unknownTypeMessage(file.path));
  if (format === 'xlsx') return yield* readWorkbook(file, config, ctx);
  // UTF-16 text holds NUL bytes: told with --encoding, or found without a BOM, it is no binary file.
  let encoding = config.encoding;
  const nul = isUtf16(encoding) ? undefined : await findBinaryByte(file);
  if (nul !== undefined) {
    encoding = encoding === undefined ? unmarkedUtf16(await headOf(file)) : undefined;
    if (encoding === undefined) throw new FileImportError(file.path, `looks binary (NUL byte at offset ${nul}); manual imports CSV, JSON or JSON Lines text (UTF-16 text without a byte-order mark: pass --encoding utf-16le or utf-16be)`);
  }
  const reading: Reading = { stream: config.stream ?? streamNameOf(file.path), ids: new RowIds(config.idField ?? 'id'), config: { ...config, encoding } };
  const records = format === 'csv' ? csvRecords(file, reading, ctx) : format === 'jsonl' ? jsonLinesRecords(file, reading, ctx) : jsonDocumentRecords(file, reading, ctx);

  // The timestamp field is chosen on the file's first rows, before any record is stored.
  const format_ = dateFormatOf(config);
  const iterator = records[Symbol.asyncIterator]();
  const head: Read[] = [];
  let rows = 0;
  let failure: unknown;
  try {
    while (rows < SAMPLE_ROWS) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      if (next.value.row) rows++;
    }
  } catch (err) {
    failure = err; // rows before the damage are still stored, after the choice is made
  }
  const sample = head.flatMap((h) => (h.row ? [h.row] : []));
  const choice = chooseTimestampField(file.path, sample, { field: config.timestampField, format: format_ });
  choicesOf(config).set(reading.stream, { field: choice.field, format: choice.format ?? format_ });
  if (sample.length) ctx.note?.(`${basename(file.path)}: ${choice.note}`);
  if (config.encoding === undefined && file.encoding === 'windows-1252') {
    // The fallback read every byte, but perhaps as the wrong letters: said, never silent.
    const misread = misreadCodePageText(sample);
    if (misread !== undefined) ctx.note?.(codePageNote(basename(file.path), misread));
  }
  for (const h of head) yield h.emitted;
  if (failure !== undefined) throw failure;
  for (;;) {
    const next = await iterator.next();
    if (next.done) break;
    yield next.value.emitted;
  }
}
