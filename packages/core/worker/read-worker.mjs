// The entry of core's reader thread (src/ingest/read-worker.ts). It imports @bronze/core by
// name, so the thread gets the same core as the source module it loads (the same classes:
// JsonNumber, emit), under the same export conditions as the main thread.
import { workerData } from 'node:worker_threads';

// In development the main thread runs TypeScript through tsx (`--import tsx`), which Node
// does not carry into worker threads: the thread registers it itself.
if (workerData?.typescript) (await import('tsx/esm/api')).register();
const { runReadWorker } = await import('@bronze/core');
await runReadWorker();
