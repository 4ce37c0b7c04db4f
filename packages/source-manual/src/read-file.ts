import { findBinaryByte, emit, FileImportError, sha256Hex, canonicalJson, type Emitted, type ImportedFile, type SourceContext } from '@bronze/core';
import type { ManualConfig } from './config.js';
import { streamNameOf } from './stream-name.js';

export type ManualFormat = 'csv' | 'json' | 'jsonl';

export function formatOf(path: string): ManualFormat | undefined {
  const p = path.toLowerCase().replace(/\.gz$/, '');
  if (p.endsWith('.csv')) return 'csv';
  if (p.endsWith('.json')) return 'json';
  if (p.endsWith('.jsonl') || p.endsWith('.ndjson')) return 'jsonl';
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

export async function* readManualFile(file: ImportedFile, config: ManualConfig, ctx: SourceContext): AsyncIterable<Emitted> {
  const format = formatOf(file.path);
  if (!format) throw new FileImportError(file.path, 'unknown file type: manual imports .csv, .json and .jsonl/.ndjson (optionally .gz)');
  const nul = await findBinaryByte(file);
  if (nul !== undefined) throw new FileImportError(file.path, `looks binary (NUL byte at offset ${nul}); manual imports CSV, JSON or JSON Lines text`);
  const stream = config.stream ?? streamNameOf(file.path);
  const ids = new RowIds(config.idField ?? 'id');

  if (format === 'csv') {
    for await (const r of ctx.files.csv(file)) {
      if (r.row) yield emit(r.row, { stream, countedId: ids.of(r.row), metadata: { line: r.line } });
      else {
        const bad = { line: r.line, fields: r.fields };
        yield emit(bad, { stream, invalid: r.error, countedId: ids.of(r.fields, 'invalid'), metadata: { line: r.line } });
      }
    }
  } else if (format === 'jsonl') {
    for await (const l of ctx.files.jsonLines(file)) {
      if (l.error === undefined) yield emit(l.value, { stream, countedId: ids.of(l.value), metadata: { line: l.line } });
      else yield emit({ line: l.line, text: l.text }, { stream, invalid: l.error, countedId: ids.of(l.text, 'invalid'), metadata: { line: l.line } });
    }
  } else {
    for await (const item of ctx.files.jsonDocument(file)) {
      yield emit(item.value, { stream, countedId: ids.of(item.value), metadata: { path: item.path } });
    }
  }
}
