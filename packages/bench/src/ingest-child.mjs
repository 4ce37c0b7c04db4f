// One `bronze ingest apple-health --file …` in its own process, on the built packages
// (dist, as installed: no TypeScript loader in memory), so its peak RSS is the
// product's. Prints one JSON line with the result, the seconds and the peak RSS.
import { ingest, openDatabase, silentLogger } from '@bronze/core';
import source from '@bronze/source-apple-health';

const { files, force } = JSON.parse(process.argv[2]);
const opened = performance.now();
const db = await openDatabase();
const started = performance.now();
const result = await ingest(db, source, { files, force, logger: silentLogger() });
const seconds = (performance.now() - started) / 1000;
await db.close();
const totalSeconds = (performance.now() - opened) / 1000;
process.stdout.write(`${JSON.stringify({ result, seconds, totalSeconds, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
