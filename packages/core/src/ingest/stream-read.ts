import type { Source, SourceContext } from '../contract.js';
import { isCheckpoint } from '../contract.js';
import { withoutEchoedSecrets } from '../echoed-secrets.js';
import { toBronzeRow, type PreparedStream } from '../envelope/envelope.js';
import { addCounts, emptyCounts, type BatchCounts } from '../loader/load-batch.js';
import type { Logger } from '../log.js';
import { QuotaStop } from '../http/usage-quota.js';
import { Batcher, type RowSink } from './batcher.js';
import type { IndexingListener, IndexingProgress, ProgressListener } from './progress.js';

interface StreamReadArgs {
  source: Source;
  ctx: SourceContext;
  logger: Logger;
  signal: AbortSignal;
  since?: Date;
  until?: Date;
  streams?: string[];
  onProgress?: ProgressListener;
  batchSize?: number;
}

/**
 * Reads the API streams one after another. A checkpoint(state) a stream yields is committed
 * with the batch holding the records yielded before it, never ahead of them.
 */
export async function readStreams(loader: RowSink | undefined, saved: Map<string, unknown>, streams: PreparedStream[], a: StreamReadArgs): Promise<BatchCounts> {
  let totals = emptyCounts();
  let quotaStopped = false;
  for (const prepared of streams) {
    if (quotaStopped) break;
    const { stream } = prepared;
    if (a.streams?.length && !a.streams.includes(stream.name)) continue;
    if (a.signal.aborted) break;
    const started = Date.now();
    const state = saved.get(stream.name);
    let records = 0;
    const batcher = new Batcher(loader, a.batchSize);
    let indexing: IndexingProgress | undefined;
    const report = () => a.onProgress?.({ source: a.source.name, stream: stream.name, records, elapsedMs: Date.now() - started, indexing });
    const onIndexing: IndexingListener = (p) => {
      indexing = p;
      report();
    };
    const timer = setInterval(report, 1000);
    try {
      for await (const item of stream.read!({ state, since: a.since, until: a.until }, a.ctx)) {
        if (isCheckpoint(item)) {
          batcher.checkpoint(stream.name, item.state);
          continue;
        }
        await batcher.add(toBronzeRow(prepared, withoutEchoedSecrets(item)));
        records++;
        if (a.signal.aborted) break;
      }
      totals = addCounts(totals, await batcher.finish(onIndexing));
    } catch (err) {
      if (err instanceof QuotaStop) {
        // Like Ctrl-C: what was read is committed with its cursor; the run succeeds with a note
        // saying when to run again, and the streams after this one wait for that run.
        totals = addCounts(totals, await batcher.finish(onIndexing));
        a.ctx.note?.(`${stream.name}: ${err.message}`);
        a.logger.warn(`${a.source.name}.${stream.name}: ${err.message}`);
        quotaStopped = true;
      } else {
        // Records read before the failure are committed with their cursor; then report.
        await batcher.finish(onIndexing).catch(() => undefined);
        throw err;
      }
    } finally {
      clearInterval(timer);
    }
    a.logger.info(`${a.source.name}.${stream.name}: ${records} records read`);
  }
  return totals;
}
