import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Source, SourceContext } from '../contract.js';
import type { Session } from '../db/session.js';
import { toBronzeRow, type PreparedStream } from '../envelope/envelope.js';
import { errorMessage, FileImportError } from '../errors.js';
import { openImportedFile, sha256File, statImportable, type ImportedFile } from '../files/imported-file.js';
import { addCounts, emptyCounts, type BatchCounts, type BatchLoader } from '../loader/load-batch.js';
import type { Logger } from '../log.js';
import { redact } from '../secrets.js';
import { Batcher } from './batcher.js';
import type { IngestResult } from './run-source.js';
import type { ProgressListener } from './progress.js';

export interface CheckedFile {
  path: string;
  size: number;
  mtime: Date;
}

/** Files below a folder, recursively, in a stable order, that the source takes. */
async function filesInFolder(dir: string, match: (path: string) => boolean): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && match(join(e.parentPath ?? e.path, e.name)))
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .sort();
}

/**
 * Fails before anything is written when a file is missing, empty or unreadable, or is a
 * folder the source cannot take. A folder is expanded to the files inside it that the
 * source's `match` accepts. Relative paths are against the working directory.
 */
export async function precheckFiles(paths: string[], match?: (path: string) => boolean): Promise<CheckedFile[]> {
  const out: CheckedFile[] = [];
  for (const p of paths) {
    const path = resolve(p);
    const folder = match && (await stat(path).catch(() => undefined))?.isDirectory();
    const files = folder ? await filesInFolder(path, match) : [path];
    if (folder && !files.length) throw new FileImportError(path, 'holds no file this source imports');
    for (const f of files) out.push({ path: f, ...(await statImportable(f)) });
  }
  return out;
}

interface FileImportArgs {
  source: Source;
  prepared: Map<string, PreparedStream>;
  ctx: SourceContext;
  config: unknown;
  logger: Logger;
  signal: AbortSignal;
  force: boolean;
  result: IngestResult;
  onProgress?: ProgressListener;
  batchSize?: number;
}

/** The file's hash, reusing the stored one when path, size and mtime are unchanged. */
async function identify(session: Session | undefined, source: string, f: CheckedFile): Promise<string> {
  if (session) {
    const [known] = await session.query<{ sha256: string }>(
      `SELECT sha256 FROM bronze_files WHERE source = $1 AND path = $2 AND size = $3 AND mtime = $4 AND status = 'imported'`,
      [source, f.path, f.size, f.mtime.toISOString()],
    );
    if (known) return known.sha256;
  }
  return sha256File(f.path);
}

/**
 * Imports each file: skipped when a file with the same hash was imported before
 * (unless force); otherwise every record the source reads from it is loaded. A file that
 * breaks part-way keeps the records read before the damage, is marked failed, and the
 * run goes on with the next file.
 */
export async function importFiles(session: Session | undefined, loader: BatchLoader | undefined, files: CheckedFile[], a: FileImportArgs): Promise<BatchCounts> {
  let totals = emptyCounts();
  const importer = a.source.files!;
  const name = a.source.name;
  for (const f of files) {
    if (a.signal.aborted) break;
    const sha256 = await identify(session, name, f);
    if (session) {
      const [prior] = await session.query<{ status: string }>('SELECT status FROM bronze_files WHERE source = $1 AND sha256 = $2', [name, sha256]);
      if (prior?.status === 'imported' && !a.force) {
        a.logger.info(`${f.path}: already imported (same sha256 ${sha256.slice(0, 12)}…); skipped. Use --force to read it again.`);
        a.result.files.skipped++;
        continue;
      }
    }
    const file = await openImportedFile(f.path, { ...f, sha256 });
    if (session) {
      await session.query(
        `INSERT INTO bronze_files (source, sha256, path, size, mtime, compression_type, encoding, status, run_id, records)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'importing', $8, 0)
         ON CONFLICT (source, sha256) DO UPDATE SET path = EXCLUDED.path, mtime = EXCLUDED.mtime, status = 'importing',
           run_id = EXCLUDED.run_id, records = 0, error = NULL`,
        [name, sha256, f.path, f.size, f.mtime.toISOString(), file.compression ?? null, file.encoding, loader!.constants.runId],
      );
    }
    const counts = await importOne(file, loader, a);
    totals = addCounts(totals, counts.counts);
    if (counts.error) {
      a.result.files.failed++;
      a.result.errors.push(counts.error);
      a.logger.error(counts.error);
    } else a.result.files.imported++;
    if (session) {
      await session.query(
        `UPDATE bronze_files SET status = $3, error = $4, imported_at = CASE WHEN $3 = 'imported' THEN now() ELSE imported_at END,
           encoding = $5
         WHERE source = $1 AND sha256 = $2`,
        [name, sha256, counts.error ? 'failed' : 'imported', counts.error ?? null, file.encoding],
      );
    }
  }
  return totals;
}

async function importOne(file: ImportedFile, loader: BatchLoader | undefined, a: FileImportArgs): Promise<{ counts: BatchCounts; error?: string }> {
  const started = Date.now();
  let records = 0;
  const batcher = new Batcher(loader, a.batchSize, loader ? file.sha256 : undefined);
  const only = a.prepared.size === 1 ? [...a.prepared.values()][0] : undefined;
  const report = () => a.onProgress?.({ source: a.source.name, file: file.path, records, bytes: file.bytesRead, totalBytes: file.size, elapsedMs: Date.now() - started });
  const timer = setInterval(report, 1000);
  try {
    for await (const item of a.source.files!.read(file, a.config as never, a.ctx)) {
      const streamName = item.meta.stream;
      const prepared = streamName ? a.prepared.get(streamName) : only;
      if (!prepared) throw new Error(`the reader yielded a record for unknown stream '${streamName ?? '(none)'}'`);
      await batcher.add(toBronzeRow(prepared, item, file.meta));
      records++;
      if (a.signal.aborted) break;
    }
    const counts = await batcher.finish();
    report();
    return { counts };
  } catch (err) {
    // Keep what was read before the damage; a database failure is not a file problem.
    let counts: BatchCounts;
    try {
      counts = await batcher.salvage();
    } catch (dbErr) {
      throw dbErr;
    }
    const msg = redact(errorMessage(err));
    return { counts, error: msg.startsWith(file.path) ? msg : `${file.path}: ${msg}` };
  } finally {
    clearInterval(timer);
  }
}
