import type { Source, SourceContext } from '../contract.js';
import type { Session } from '../db/session.js';
import { toBronzeRow, type PreparedStream } from '../envelope/envelope.js';
import { errorMessage, InterruptedError } from '../errors.js';
import { openImportedFile, type ImportedFile } from '../files/imported-file.js';
import { alreadyImported, beginImport, endImport, identifyFile, streamsOfFile, type CheckedFile, type FileImportStatus } from '../store/files.js';
import { addCounts, BatchLoader, emptyCounts, type BatchCounts } from '../loader/load-batch.js';
import type { Logger } from '../log.js';
import { redact } from '../secrets.js';
import { Batcher } from './batcher.js';
import { PreviewLoader } from './dry-run.js';
import type { IngestResult } from './ingest-result.js';
import type { IndexingListener, IndexingProgress, ProgressListener } from './progress.js';
import { readInThread, type ReaderThreadPlan } from './worker-reader.js';

export type { CheckedFile } from '../store/files.js';

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
  /** Read and envelope in a worker thread (readerThreadPlan), with what the thread needs. */
  thread?: { plan: ReaderThreadPlan; inputFiles: string[]; root: string; env: Record<string, string | undefined> };
}

interface FileOutcome {
  counts: BatchCounts;
  records: number;
  error?: string;
  /** The stream that took the file's records though no stream recognised it (meta.unrecognised). */
  unrecognised?: string;
}

/**
 * Imports each file: skipped when the last import of the same path into the same streams
 * finished with the same content (unless force); otherwise every record the source reads
 * from it is loaded. The file is marked 'imported' only when all of it is committed: a
 * file that breaks part-way keeps the records read before the damage and is marked
 * 'failed'; a signal marks it 'interrupted'; a process that dies leaves it 'importing'
 * (the next run marks it 'interrupted'). Any of these is read again by the next run.
 */
export async function importFiles(session: Session | undefined, loader: BatchLoader | PreviewLoader | undefined, files: CheckedFile[], a: FileImportArgs): Promise<BatchCounts> {
  let totals = emptyCounts();
  const name = a.source.name;
  for (const f of files) {
    if (a.signal.aborted) break;
    const streams = streamsOfFile(a.source, a.config, f.path);
    let sha256: string;
    try {
      sha256 = await identifyFile(session, name, f, a.signal);
    } catch (err) {
      // Stopped while hashing: nothing of the file was read or registered.
      if (err instanceof InterruptedError) break;
      throw err;
    }
    if (session && !a.force && (await alreadyImported(session, name, f.path, streams, sha256))) {
      a.logger.info(`${f.path}: already imported (same path, streams and sha256 ${sha256.slice(0, 12)}…); skipped. Use --force to read it again.`);
      a.result.files.skipped++;
      continue;
    }
    const file = await openImportedFile(f.path, { ...f, sha256 }, a.signal);
    let importId: string | undefined;
    // A dry run (PreviewLoader) reads the registry but never writes to it.
    const run = loader instanceof BatchLoader ? loader : undefined;
    if (session && run) {
      importId = await beginImport(session, {
        source: name, path: f.path, streams, sha256, size: f.size, mtime: f.mtime, compression: file.compression, encoding: file.encoding, runId: run.constants.runId,
      });
      await run.startFile();
    } else if (loader instanceof PreviewLoader) await loader.startFile();
    const outcome = await importOne(file, loader, a, importId);
    totals = addCounts(totals, outcome.counts);
    let status: Exclude<FileImportStatus, 'importing'> = 'imported';
    let note = outcome.error;
    if (outcome.error) {
      status = 'failed';
      a.result.files.failed++;
      a.result.errors.push(outcome.error);
      // Reported once, by whoever shows result.errors (the CLI's `error:` line, serve's log).
      a.logger.debug(outcome.error);
    } else if (a.signal.aborted) {
      status = 'interrupted';
      note = `interrupted after ${outcome.records} records; the next run reads the file again`;
      a.result.files.failed++;
    } else if (outcome.records === 0) {
      status = 'failed';
      note = `0 records from ${f.path}: nothing stored, the file is not marked imported`;
      a.result.files.failed++;
      a.logger.warn(note);
      // In the summary too: a run whose file gave nothing must not read as a plain success.
      a.ctx.note?.(note);
    } else a.result.files.imported++;
    if (outcome.unrecognised) a.result.files.unrecognised.push({ path: f.path, stream: outcome.unrecognised });
    if (run?.occurrences.repeatedIds) {
      const o = run.occurrences;
      const repeated = `${f.path}: ${o.repeatedIds} id(s) occur more than once (${o.repeats} repeat(s), e.g. ${o.example}); repeats are stored as <id>#2, <id>#3… in order of appearance`;
      a.logger.warn(repeated);
      a.ctx.note?.(repeated);
    }
    if (session && importId) await endImport(session, importId, status, note, file.encoding);
  }
  return totals;
}

async function importOne(file: ImportedFile, loader: BatchLoader | PreviewLoader | undefined, a: FileImportArgs, importId: string | undefined): Promise<FileOutcome> {
  const started = Date.now();
  let records = 0;
  let unrecognised: string | undefined;
  const batcher = new Batcher(loader, a.batchSize, importId);
  const only = a.prepared.size === 1 ? [...a.prepared.values()][0] : undefined;
  let threadBytes: number | undefined;
  let indexing: IndexingProgress | undefined;
  const report = () => a.onProgress?.({ source: a.source.name, file: file.path, records, bytes: threadBytes ?? file.bytesRead, totalBytes: file.size, elapsedMs: Date.now() - started, indexing });
  const timer = setInterval(report, 1000);
  // The read is done and its new months are being indexed: say so, or a large file sits at 100%.
  const onIndexing: IndexingListener = (p) => {
    indexing = p;
    report();
  };
  try {
    if (a.thread && file.size >= a.thread.plan.minBytes) {
      const { plan, inputFiles, root, env } = a.thread;
      a.logger.debug(`${file.path}: read and enveloped in a worker thread (BRONZE_READ_WORKER)`);
      const data = { module: plan.module, config: a.config, inputFiles, root, env, file: { path: file.path, size: file.size, mtime: file.mtime, sha256: file.sha256 } };
      const chunks = readInThread({ plan, data, logger: a.logger, note: a.ctx.note, signal: a.signal });
      reading: for await (const chunk of chunks) {
        threadBytes = chunk.bytesRead;
        if (chunk.encoding !== file.encoding) file.decodedAs(chunk.encoding);
        if (chunk.unrecognised) unrecognised ??= chunk.unrecognised;
        for (const row of chunk.rows) {
          if (a.signal.aborted) break reading;
          row.file = file.meta;
          await batcher.add(row);
          records++;
        }
      }
    } else {
      for await (const item of a.source.files!.read(file, a.config as never, a.ctx)) {
        const streamName = item.meta.stream;
        const prepared = streamName ? a.prepared.get(streamName) : only;
        if (!prepared) throw new Error(`the reader yielded a record for unknown stream '${streamName ?? '(none)'}'`);
        // Checked before the record is kept: what a reader yields once its file's pass was
        // stopped (a part it calls damaged) is never stored; the file is read again anyway.
        if (a.signal.aborted) break;
        if (item.meta.unrecognised) unrecognised ??= prepared.stream.name;
        await batcher.add(toBronzeRow(prepared, item, file.meta));
        records++;
      }
    }
    const counts = await batcher.finish(onIndexing);
    indexing = undefined;
    report();
    return { counts, records, unrecognised };
  } catch (err) {
    // Keep what was read before the damage; a database failure is not a file problem
    // (salvage throws it, and the run fails with the file left 'importing').
    const counts = await batcher.salvage(onIndexing);
    // A stop during a pass that yields no record (InterruptedError), or a reader's error after
    // it: the file is 'interrupted', as when the signal comes between records.
    if (a.signal.aborted) return { counts, records };
    const msg = redact(errorMessage(err));
    return { counts, records, error: msg.startsWith(file.path) ? msg : `${file.path}: ${msg}` };
  } finally {
    clearInterval(timer);
  }
}
