import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Source } from '../contract.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ReadWorkerData, RowChunk, WorkerMessage } from './read-worker.js';

/** Where a source's files are read and enveloped: a worker thread, or the ingest's own thread. */
export interface ReaderThreadPlan {
  /** The worker's entry script and the source module it imports. */
  script: URL;
  module: string;
  /** BRONZE_READ_WORKER=on: every file; auto: files of THREAD_MIN_BYTES or more (starting the thread cost 0.35–0.55 s for a 7-record file, built packages, PostgreSQL). */
  minBytes: number;
}

export const THREAD_MIN_BYTES = 16 << 20;

const ESM_MODULE = /\.m?js$/;
const YOUNG_GENERATION_MB = 12;

/**
 * Whether to read files in a worker thread. BRONZE_READ_WORKER=off never does; `on` does
 * for every source that names its module (`module: import.meta.url`); unset or `auto` does
 * on the embedded database only, when core and the source run as built ES modules (as
 * installed and as `pnpm bronze` runs them) on a machine with a second CPU. PGlite runs
 * in the ingest's own thread, so there parse and envelope otherwise queue behind the
 * database's work (measured at 300k records: an import 0–29% faster, a `--force`
 * re-import 16–28%, 40–100 MB more RSS). With PostgreSQL on the same two cores it
 * gained nothing (README, benchmark): opt in with `on` where the server runs elsewhere and
 * the machine has cores to spare.
 */
export async function readerThreadPlan(source: Source, env: Record<string, string | undefined>, engine: 'postgres' | 'pglite' | undefined): Promise<ReaderThreadPlan | undefined> {
  const setting = (env.BRONZE_READ_WORKER ?? 'auto').trim().toLowerCase();
  if (!['on', 'off', 'auto'].includes(setting)) throw new ConfigError(`BRONZE_READ_WORKER=${setting}: use on, off or auto`);
  if (setting === 'off' || !source.module) return undefined;
  // The thread imports the module afresh: only the object it exports is what it would run.
  // A copy or a wrapper of it (a test's crashing reader, a program's own variant) is read here.
  const exported = await import(source.module).then((m: { default?: unknown }) => m.default, () => undefined);
  if (exported !== source) return undefined;
  let script: URL;
  try {
    script = new URL(import.meta.resolve('@bronze/core/read-worker'));
  } catch (err) {
    if (setting === 'on') throw new Error(`BRONZE_READ_WORKER=on: core's reader thread cannot be found (${String(err)})`);
    return undefined;
  }
  if (setting === 'on') return { script, module: source.module, minBytes: 0 };
  const built = ESM_MODULE.test(source.module) && ESM_MODULE.test(import.meta.url);
  return engine === 'pglite' && built && availableParallelism() > 1 ? { script, module: source.module, minBytes: THREAD_MIN_BYTES } : undefined;
}

interface ThreadReadArgs {
  plan: ReaderThreadPlan;
  data: ReadWorkerData;
  logger: Logger;
  note?: (text: string, key?: string) => void;
  signal: AbortSignal;
}

/**
 * The chunks of enveloped rows the reader thread posts, in order. A reader error arrives
 * after the rows read before it, and is thrown here, so importOne keeps those rows exactly
 * as it does in one thread. Leaving the loop (an error, Ctrl-C) stops the thread.
 */
export async function* readInThread(a: ThreadReadArgs): AsyncGenerator<RowChunk, { bytesRead: number; encoding: string }> {
  // A smaller young generation than V8's default (three 16 MB semi-spaces): the thread's
  // objects live for one chunk (6, 12 and 24 MB took the same time within this machine's
  // noise at 300k records).
  const typescript = import.meta.url.endsWith('.ts');
  const worker = new Worker(a.plan.script, { workerData: { ...a.data, typescript }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  let ended: Error | undefined;
  const push = (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  };
  worker.on('message', push);
  worker.on('error', (err) => push({ t: 'error', message: `the reader thread failed: ${err.message}` }));
  worker.on('exit', (code) => {
    ended = new Error(`the reader thread stopped before the end of the file (exit code ${code})`);
    wake?.();
  });
  const onAbort = () => wake?.();
  a.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const m = queue.shift();
      if (!m) {
        if (a.signal.aborted) return { bytesRead: 0, encoding: '' };
        if (ended) throw ended;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
        continue;
      }
      if (m.t === 'rows') {
        yield m;
        worker.postMessage({ t: 'credit' });
      } else if (m.t === 'log') a.logger.log(m.level, m.message);
      else if (m.t === 'note') a.note?.(m.text, m.key);
      else if (m.t === 'error') throw new Error(m.message);
      else return { bytesRead: m.bytesRead, encoding: m.encoding };
    }
  } finally {
    a.signal.removeEventListener('abort', onAbort);
    await worker.terminate();
  }
}
