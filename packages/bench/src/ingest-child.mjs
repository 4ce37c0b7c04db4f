// One `bronze ingest <source> --file …` in its own process, on the built packages
// (dist, as installed: no TypeScript loader in memory), so its peak RSS is the
// product's. Prints one JSON line with the result, the seconds, the peak RSS and the CPU seconds; with
// `progress`, core's progress line goes to stderr every second, as the CLI shows it, with the
// process's memory (rss, heap, external, array buffers, MB); `batchSize` overrides core's 5,000.
import { applyHeapGrowthSetting, formatProgress, ingest, openDatabase, silentLogger } from '@bronze/core';

// As the CLI does (apps/runner/src/cli.ts): BRONZE_HEAP_GROWTH=default measures V8's own
// growth, a number another percentage.
const heapWarning = applyHeapGrowthSetting();
if (heapWarning) throw new Error(heapWarning);

const { files, force, source: pkg = '@bronze/source-apple-health', progress = false, batchSize } = JSON.parse(process.argv[2]);
const source = (await import(pkg)).default;
const opened = performance.now();
const db = await openDatabase();
const started = performance.now();
// The ingest's CPU from here, as its seconds: the process's start-up and the database's
// opening (~1 s of CPU on the embedded one) would weigh on small runs.
const cpuAtStart = process.cpuUsage();
const mb = (n) => Math.round(n / 2 ** 20);
const memory = () => {
  const m = process.memoryUsage();
  return `rss ${mb(m.rss)} MB, heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, external ${mb(m.external)} MB, array buffers ${mb(m.arrayBuffers)} MB`;
};
const onProgress = progress ? (p) => process.stderr.write(`[progress] ${formatProgress(p)}  ${memory()}\n`) : undefined;
const result = await ingest(db, source, { files, force, logger: silentLogger(), onProgress, ...(batchSize ? { batchSize } : {}) });
const seconds = (performance.now() - started) / 1000;
const ingestCpu = process.cpuUsage(cpuAtStart);
await db.close();
const totalSeconds = (performance.now() - opened) / 1000;
const whole = process.cpuUsage();
// Every thread's CPU (GC helpers, the reader thread; PGlite's database): cpuSeconds over the
// ingest's seconds, processCpuSeconds over the process's life.
const cpuSeconds = (ingestCpu.user + ingestCpu.system) / 1e6;
const processCpuSeconds = (whole.user + whole.system) / 1e6;
process.stdout.write(`${JSON.stringify({ result, seconds, totalSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024, cpuSeconds, processCpuSeconds })}\n`);
