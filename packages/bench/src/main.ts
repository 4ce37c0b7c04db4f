/**
 * `pnpm bench`: the ingest benchmark (default), `--queries` (the silver layer's reads at
 * 10M rows), `--startup` (CLI start-up and the embedded database) or `--compare NAME=VALUE`
 * (alternated ingests with an environment switch unset and set).
 */
import { writeFileSync } from 'node:fs';
import { parseBenchArgs } from './args.js';
import { runIngestBench } from './ingest-bench.js';
import { runTakeoutBench } from './takeout-bench.js';
import { formatQueryReport, runQueryBench } from './queries/run-queries.js';
import { runStartupBench, formatStartupReport } from './startup/run-startup.js';
import { runCompareBench } from './compare/run-compare.js';

const args = parseBenchArgs(process.argv.slice(2), process.env);
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

if (args.queries) {
  const figures = await runQueryBench({
    url: args.databaseUrl!, rows: args.rows, months: args.months, clients: 10, iterations: args.iterations, database: args.queryDb, serial: args.serial, log,
  });
  process.stdout.write(`${formatQueryReport(figures)}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
} else if (args.startup) {
  const figures = await runStartupBench({ url: args.databaseUrl, log });
  process.stdout.write(`${formatStartupReport(figures)}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
} else if (args.compare) {
  await runCompareBench(args, log);
} else if (args.source === 'google-takeout') {
  await runTakeoutBench(args, log);
} else {
  await runIngestBench(args, log);
}
