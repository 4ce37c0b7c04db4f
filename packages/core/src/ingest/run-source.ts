import type { Source } from '../contract.js';
import type { BronzeDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { Session } from '../db/session.js';
import { BronzeError, ConfigError, errorMessage } from '../errors.js';
import { projectRoot } from '../env.js';
import { BatchLoader, addCounts, emptyCounts, type BatchCounts } from '../loader/load-batch.js';
import { createLogger, type Logger } from '../log.js';
import { acquireSourceLock, finishFailedRun, finishRun, markAbandonedRuns, releaseSourceLock, startRun } from '../store/runs.js';
import { readState } from '../store/state.js';
import { ensureSourceTable } from '../store/source-tables.js';

export { ensureSourceTable } from '../store/source-tables.js';
import { cliName } from '../naming.js';
import { redact, redactValue } from '../secrets.js';
import { CORE_VERSION } from '../version.js';
import { configureSource, createSourceContext, prepareStreams } from './context.js';
import { PreviewLoader, tableExists } from './dry-run.js';
import { importFiles } from './file-import.js';
import { precheckFiles } from './folder-files.js';
import { readerThreadPlan } from './worker-reader.js';
import type { ProgressListener } from './progress.js';
import type { IngestResult } from './ingest-result.js';

export type { IngestResult } from './ingest-result.js';
import { readStreams } from './stream-read.js';
import { problemNotes } from '../loader/problem-examples.js';

export interface IngestOptions {
  /** Export files to import (absolute, or relative to the working directory). */
  files?: string[];
  /** Only these streams (default: all of the source's API streams). */
  streams?: string[];
  since?: Date;
  until?: Date;
  /** Ignore saved cursors (records already stored still insert nothing). */
  fullRefresh?: boolean;
  /** Read and validate, write nothing; with a database, compare with it read-only (files it would skip, records already stored). */
  dryRun?: boolean;
  /** Re-read files already imported with the same hash. */
  force?: boolean;
  /** Source options from the CLI (e.g. --id-field). */
  options?: Record<string, unknown>;
  /** The environment the source is configured from: settings.env in the CLI. Default (library use): process.env. */
  env?: Record<string, string | undefined>;
  /** The project root (credentials under configs/): settings.root in the CLI. Default: the root found from env and the working directory. */
  root?: string;
  logger?: Logger;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  batchSize?: number;
  /** The clock sources read (ctx.now); default the system clock. */
  now?: () => Date;
  /** Observes ctx.http (for metrics): each response's status (0: network error or timeout). */
  onHttpResponse?: (status: number, endpoint: string) => void;
  /** Observes ctx.http: each wait before a retry (429, Retry-After, 5xx, network), and each hold of the source's request budget (reason 'rate budget'). */
  onHttpWait?: (ms: number, reason: string) => void;
}



/**
 * One run of one source: configuration, lock, abandoned-run cleanup, then the files
 * and/or API streams, each batch committed with its cursor and the run's counters.
 */
export async function ingest(db: BronzeDatabase | undefined, source: Source, o: IngestOptions = {}): Promise<IngestResult> {
  const env = o.env ?? process.env;
  const logger = o.logger ?? createLogger();
  const signal = o.signal ?? new AbortController().signal;
  const started = Date.now();
  const files = o.files ?? [];
  // Before the configuration: `--file` to an API source is a usage mistake, whatever its credentials.
  if (files.length && !source.files) throw new ConfigError(`source '${cliName(source)}' does not import files; it reads its API`);
  const config = configureSource(source, env, o.options ?? {});
  const prepared = prepareStreams(source.streams(config as never, { files }));
  const apiStreams = [...prepared.values()].filter((p) => p.stream.read);
  if (!files.length && !apiStreams.length) {
    throw new ConfigError(`source '${cliName(source)}' needs --file PATH (accepts ${source.files?.accepts ?? 'files'})`);
  }
  if (o.streams?.length) {
    for (const s of o.streams) if (!prepared.has(s)) throw new ConfigError(`source '${cliName(source)}' has no stream '${s}' (streams: ${[...prepared.keys()].join(', ')})`);
  }
  const leftOut: string[] = [];
  const unopenable: string[] = [];
  const checked = await precheckFiles(files, source.files?.match, (note) => leftOut.push(note), (message) => unopenable.push(message));
  for (const note of leftOut) logger.warn(note);
  const notes: string[] = [...leftOut];
  const ctx = createSourceContext(source, config, { logger, signal, root: o.root ?? projectRoot(env), env, onWait: o.onHttpWait, onResponse: o.onHttpResponse, notes, now: o.now });
  const parameters = redactValue({
    streams: o.streams, since: o.since?.toISOString(), until: o.until?.toISOString(), fullRefresh: o.fullRefresh || undefined,
    force: o.force || undefined, files: files.length ? checked.map((f) => f.path) : undefined, options: o.options,
  });
  const result: IngestResult = { ...emptyCounts(), source: source.name, status: 'succeeded', files: { imported: 0, skipped: 0, failed: 0, unrecognised: [] }, errors: [], seconds: 0, notes };
  // The other files are imported; the run then fails on these, naming each.
  for (const message of unopenable) {
    logger.error(message);
    result.errors.push(message);
    result.files.failed++;
  }
  const plan = files.length ? await readerThreadPlan(source, env, o.dryRun ? undefined : db?.engine) : undefined;
  const thread = plan && { plan, inputFiles: files, root: o.root ?? projectRoot(env), env };
  const common = { source, prepared, ctx, config, logger, signal, onProgress: o.onProgress, batchSize: o.batchSize, thread };

  if (o.dryRun || !db) {
    // Read-only: compares with what the database holds (when there is one), writes nothing.
    let previewed: PreviewLoader | undefined;
    const preview = async (session: Session | undefined) => {
      const has = async (table: string) => (session ? tableExists(session, table) : false);
      const registry = await has('bronze_files');
      const loader = new PreviewLoader(session, source.name, await has(`bronze_${source.name}_latest`));
      previewed = loader;
      if (files.length) return importFiles(registry ? session : undefined, loader, checked, { ...common, force: Boolean(o.force) || !registry, result });
      const state = session && !o.fullRefresh && (await has('bronze_state')) ? await readState(session, source.name) : new Map<string, unknown>();
      return readStreams(loader, state, apiStreams, { ...common, since: o.since, until: o.until, streams: o.streams });
    };
    const counts = db
      ? await db.withSession(async (session) => {
          await session.query('BEGIN READ ONLY');
          try {
            return await preview(session);
          } finally {
            await session.query('ROLLBACK').catch(() => undefined);
          }
        })
      : await preview(undefined);
    Object.assign(result, counts, { seconds: (Date.now() - started) / 1000 });
    if (previewed) result.problems = problemNotes(previewed.problems, source.name);
    if (result.errors.length) result.status = 'failed';
    return result;
  }

  return db.withSession(async (session) => {
    await migrate(session);
    await ensureSourceTable(session, source.name);
    await acquireSourceLock(session, source.name);
    try {
      const abandoned = await markAbandonedRuns(session, source.name);
      if (abandoned) logger.warn(`marked ${abandoned} earlier run(s) of ${cliName(source)} as abandoned`);
      const environment = env.BRONZE_ENV ?? 'development';
      const pipelineVersion = `core@${CORE_VERSION} ${source.name}@${source.version}`;
      const parametersJson = JSON.stringify(parameters);
      const streamNames = files.length ? [...prepared.keys()] : (o.streams ?? apiStreams.map((s) => s.stream.name));
      const runId = await startRun(session, { source: source.name, streams: streamNames, parametersJson, pipelineVersion, environment });
      result.runId = runId;
      logger.info(`run ${runId} of ${cliName(source)} started`, { runId, source: source.name, database: db.location });
      // PGlite has one connection: a second session would only take turns with this one.
      const spare = db.engine === 'postgres' ? <T>(fn: (s: Session) => Promise<T>) => db.withSession(fn) : undefined;
      const loader = new BatchLoader(session, {
        source: source.name, runId, environment, pipelineVersion, parametersJson, lineageType: files.length ? 'file' : 'api',
      }, spare);
      let counts = emptyCounts();
      try {
        if (files.length) counts = addCounts(counts, await importFiles(session, loader, checked, { ...common, force: o.force ?? false, result }));
        else {
          const state = o.fullRefresh ? new Map<string, unknown>() : await readState(session, source.name);
          counts = addCounts(counts, await readStreams(loader, state, apiStreams, { ...common, since: o.since, until: o.until, streams: o.streams }));
        }
        if (signal.aborted) result.errors.push('interrupted: the batches read before the signal are committed');
      } catch (err) {
        result.errors.push(redact(errorMessage(err)));
        Object.assign(result, counts, { status: 'failed' });
        result.problems = problemNotes(loader.problems, source.name, runId);
        const failed = { status: 'failed' as const, files: result.files, error: result.errors.join('; '), notes: [...notes, ...result.problems] };
        if (!(await finishFailedRun(session, db, runId, failed))) logger.warn(`run ${runId} could not be marked failed (the database is unreachable); the next run marks it abandoned`);
        throw err instanceof BronzeError ? err : new BronzeError(redact(errorMessage(err)), 1, { cause: err });
      } finally {
        await loader.close();
      }
      Object.assign(result, counts);
      result.status = result.errors.length ? 'failed' : 'succeeded';
      result.problems = problemNotes(loader.problems, source.name, runId);
      await finishRun(session, runId, { status: result.status, files: result.files, error: result.errors.join('; ') || undefined, notes: [...notes, ...result.problems] });
      result.seconds = (Date.now() - started) / 1000;
      return result;
    } finally {
      await releaseSourceLock(session, source.name).catch(() => undefined);
    }
  });
}
