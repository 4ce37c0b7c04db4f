import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import {
  compileValidator, copyRowsText, createSourceContext, monthOf, openImportedFile, sha256File, silentLogger, toBronzeRow,
  type BronzeRow, type ImportedFile, type PreparedStream, type SourceContext,
} from '@bronze/core';
import source from '@bronze/source-apple-health';

export const COPY_ROWS_PER_FILE = 20_000;

export function benchContext(): SourceContext {
  return createSourceContext(source, {}, { logger: silentLogger(), signal: new AbortController().signal, root: process.cwd(), env: process.env });
}

export async function importedFile(path: string): Promise<ImportedFile> {
  const st = statSync(path);
  return openImportedFile(path, { size: st.size, mtime: st.mtime, sha256: await sha256File(path) });
}

/** Parse only: every element read and emitted by the source, no envelope, no database. */
export async function parseOnly(path: string): Promise<{ records: number; seconds: number }> {
  const file = await importedFile(path);
  const started = performance.now();
  let records = 0;
  for await (const _ of source.files!.read(file, {}, benchContext())) records++;
  return { records, seconds: (performance.now() - started) / 1000 };
}

export interface CopyFiles {
  files: string[];
  statement: string;
  records: number;
  months: Set<string>;
  seconds: number;
}

/**
 * The rows the loader would write for this export (same envelope, same COPY text as
 * core's write path), saved as COPY data files of COPY_ROWS_PER_FILE rows each, so the
 * raw COPY measures the database alone.
 */
export async function prepareCopyFiles(path: string, dir: string, prefix: string, table: string): Promise<CopyFiles> {
  const file = await importedFile(path);
  const prepared = new Map<string, PreparedStream>(source.streams({}).map((s) => [s.name, { stream: s, validate: compileValidator(s.schema) }]));
  const constants = { source: 'bench_copy', runId: crypto.randomUUID(), environment: 'bench', pipelineVersion: 'bench', parametersJson: '{}', lineageType: 'file' as const };
  const started = performance.now();
  const out: CopyFiles = { files: [], statement: '', records: 0, months: new Set(), seconds: 0 };
  let rows: BronzeRow[] = [];
  const flush = async () => {
    if (!rows.length) return;
    const { statement, chunks } = copyRowsText(table, constants, rows.map((row) => ({ row, version: 1 })), new Date());
    out.statement = statement;
    const name = join(dir, `${prefix}-${String(out.files.length).padStart(4, '0')}.copy`);
    const w = createWriteStream(name);
    for (const chunk of chunks) if (!w.write(chunk)) await once(w, 'drain');
    w.end();
    await once(w, 'finish');
    out.files.push(name);
    rows = [];
  };
  for await (const item of source.files!.read(file, {}, benchContext())) {
    const row = toBronzeRow(prepared.get(item.meta.stream!)!, item, file.meta);
    if (row.sourceTimestamp) out.months.add(monthOf(row.sourceTimestamp));
    rows.push(row);
    out.records++;
    if (rows.length >= COPY_ROWS_PER_FILE) await flush();
  }
  await flush();
  out.seconds = (performance.now() - started) / 1000;
  return out;
}
