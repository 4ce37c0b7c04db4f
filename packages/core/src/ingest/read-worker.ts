import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import winston from 'winston';
import type { Source } from '../contract.js';
import { toBronzeRow, type BronzeRow } from '../envelope/envelope.js';
import { errorMessage } from '../errors.js';
import { openImportedFile } from '../files/imported-file.js';
import { createSourceContext, prepareStreams } from './context.js';

/** What the main thread gives the reader thread (worker-reader.ts). */
export interface ReadWorkerData {
  module: string;
  config: unknown;
  /** The run's --file paths, for streams(config, { files }). */
  inputFiles: string[];
  file: { path: string; size: number; mtime: Date; sha256: string };
  root: string;
  env: Record<string, string | undefined>;
}

/** Rows of one chunk, without their file meta (the main thread adds it back). */
export interface RowChunk {
  t: 'rows';
  rows: BronzeRow[];
  bytesRead: number;
  encoding: string;
  unrecognised?: string;
}

export type WorkerMessage =
  | RowChunk
  | { t: 'log'; level: string; message: string }
  | { t: 'note'; text: string; key?: string }
  | { t: 'done'; bytesRead: number; encoding: string }
  | { t: 'error'; message: string };

// The thread may run CHUNKS_AHEAD chunks (6,000 rows, at most 24 MB of JSON) ahead of what
// the main thread has taken: a little more than a batch, so it keeps parsing while the main
// thread waits for the batch in flight (with 2 chunks it stalled there: no gain at all),
// and memory stays bounded whatever the database's speed.
export const CHUNK_ROWS = 500;
const CHUNK_CHARS = 2 << 20;
export const CHUNKS_AHEAD = 12;

async function loadSource(url: string): Promise<Source> {
  const m = (await import(url)) as { default?: Source };
  if (!m.default?.files) throw new Error(`${url} has no default export with files: not a bronze source that imports files`);
  return m.default;
}

/** The thread's logger: every line goes to the main thread's logger, which filters by level. */
function forwardingLogger(post: (m: WorkerMessage) => void): winston.Logger {
  const sink = new Writable({
    objectMode: true,
    write(info: { level: string; message: unknown }, _enc, cb) {
      post({ t: 'log', level: info.level, message: String(info.message) });
      cb();
    },
  });
  return winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream: sink })] });
}

/**
 * The reader thread: reads one file with the source's own reader and wraps each record in
 * its envelope (canonical JSON, hashes, validation, id), as importOne does in one thread,
 * and posts the rows in chunks. It never touches the database. It waits for the main
 * thread's credit before each chunk past CHUNKS_AHEAD, so a slow database holds it back.
 */
export async function runReadWorker(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('runReadWorker runs in a worker thread');
  const data = workerData as ReadWorkerData;
  const post = (m: WorkerMessage) => port.postMessage(m);
  let credit = CHUNKS_AHEAD;
  let wake: (() => void) | undefined;
  port.on('message', (m: { t: 'credit' }) => {
    if (m.t === 'credit') credit++;
    wake?.();
  });
  const file = await openImportedFile(data.file.path, data.file).catch((err: unknown) => {
    post({ t: 'error', message: errorMessage(err) });
  });
  if (!file) return;
  try {
    const source = await loadSource(data.module);
    const prepared = prepareStreams(source.streams(data.config as never, { files: data.inputFiles }));
    const only = prepared.size === 1 ? [...prepared.values()][0] : undefined;
    const logger = forwardingLogger(post);
    const ctx = createSourceContext(source, data.config, { logger, signal: new AbortController().signal, root: data.root, env: data.env });
    ctx.note = (text, key) => post({ t: 'note', text, key });
    let rows: BronzeRow[] = [];
    let chars = 0;
    let unrecognised: string | undefined;
    const send = async () => {
      while (credit <= 0) await new Promise<void>((r) => (wake = r));
      credit--;
      post({ t: 'rows', rows, bytesRead: file.bytesRead, encoding: file.encoding, unrecognised });
      rows = [];
      chars = 0;
    };
    try {
      for await (const item of source.files!.read(file, data.config as never, ctx)) {
        const streamName = item.meta.stream;
        const stream = streamName ? prepared.get(streamName) : only;
        if (!stream) throw new Error(`the reader yielded a record for unknown stream '${streamName ?? '(none)'}'`);
        if (item.meta.unrecognised) unrecognised ??= stream.stream.name;
        const row = toBronzeRow(stream, item);
        rows.push(row);
        chars += row.rawJson.length;
        if (rows.length >= CHUNK_ROWS || chars >= CHUNK_CHARS) await send();
      }
    } finally {
      // What was read before a failure is kept, as importOne keeps it in one thread.
      if (rows.length) await send();
    }
    post({ t: 'done', bytesRead: file.bytesRead, encoding: file.encoding });
  } catch (err) {
    post({ t: 'error', message: errorMessage(err) });
  }
}
