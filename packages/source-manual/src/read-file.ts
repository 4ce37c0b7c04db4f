import { basename } from 'node:path';
import { findBinaryByte, FileImportError, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import type { ManualConfig } from './config.js';
import { datedStreamNote, streamNameOf } from './stream-name.js';
import { choicesOf, dateFormatOf } from './run-state.js';
import { chooseTimestampField, SAMPLE_ROWS } from './timestamp-field.js';
import { codePageNote, misreadCodePageText } from './encoding-check.js';
import { readWorkbook } from './xlsx/read-workbook.js';
import { readOds } from './ods/read-ods.js';
import { unknownTypeMessage } from './file-types.js';
import { headOf, isUtf16, unmarkedUtf16 } from './unmarked-utf16.js';
import { csvRecords } from './csv-records.js';
import { RowIds, type Read, type Reading } from './row-reads.js';
import { jsonDocumentRecords, jsonLinesRecords } from './json-records.js';

/** `js`: a Twitter/X archive's data file, JSON behind a JavaScript assignment (json-assignment.ts). */
export type ManualFormat = 'csv' | 'json' | 'js' | 'jsonl' | 'xlsx' | 'ods';

export function formatOf(path: string): ManualFormat | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.js')) return 'js';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
  if (p.endsWith('.xlsx') || p.endsWith('.xlsm')) return 'xlsx';
  if (p.endsWith('.ods') || p.endsWith('.fods')) return 'ods';
  return undefined;
}

export async function* readManualFile(file: ImportedFile, config: ManualConfig, ctx: SourceContext): AsyncIterable<Emitted> {
  const format = formatOf(file.path);
  if (!format) throw new FileImportError(file.path, unknownTypeMessage(file.path));
  const dated = config.stream === undefined ? datedStreamNote(file.path) : undefined;
  if (dated) ctx.note?.(dated);
  if (format === 'xlsx') return yield* readWorkbook(file, config, ctx);
  if (format === 'ods') return yield* readOds(file, config, ctx);
  // UTF-16 text holds NUL bytes: told with --encoding, or found without a BOM, it is no binary file.
  let encoding = config.encoding;
  const nul = isUtf16(encoding) ? undefined : await findBinaryByte(file);
  if (nul !== undefined) {
    encoding = encoding === undefined ? unmarkedUtf16(await headOf(file)) : undefined;
    if (encoding === undefined) throw new FileImportError(file.path, `looks binary (NUL byte at offset ${nul}); manual imports CSV, JSON or JSON Lines text (UTF-16 text without a byte-order mark: pass --encoding utf-16le or utf-16be)`);
  }
  const reading: Reading = { stream: config.stream ?? streamNameOf(file.path), ids: new RowIds(config.idField), config: { ...config, encoding } };
  const records = format === 'csv' ? csvRecords(file, reading, ctx) : format === 'jsonl' ? jsonLinesRecords(file, reading, ctx) : jsonDocumentRecords(file, reading, ctx, format === 'js');

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
