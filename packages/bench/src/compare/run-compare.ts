/**
 * `pnpm bench --compare NAME=VALUE`: one end-to-end ingest of the generated export with the
 * environment variable NAME unset and one with NAME=VALUE, alternated in back-to-back pairs
 * (the side that runs first swaps each pair), each on a fresh database. How a lever behind an
 * environment switch (BRONZE_BULK_MONTHS=off, BRONZE_READ_WORKER=on…) is measured on a machine
 * whose speed moves more between minutes than most levers move an import.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchArgs } from '../args.js';
import { benchFolder } from '../bench-folder.js';
import { benchDatabases, freshPgliteIngest } from '../databases.js';
import { writeExport } from '../generate.js';
import { runIngest } from '../run-ingest.js';
import { localServerCpu } from '../server-cpu.js';
import { assertIngestReads } from './read-setting.js';
import { formatComparison, summarizeComparison, type CompareRun } from './summary.js';

export async function runCompareBench(args: BenchArgs, log: (m: string) => void): Promise<CompareRun[]> {
  const { name, value, pairs } = args.compare!;
  assertIngestReads(name);
  const folder = benchFolder(args);
  const dir = folder.dir;
  const file = join(dir, `export-${args.records}-${args.months}.xml`);
  try {
    if (existsSync(file)) log(`reusing ${file}`);
    else {
      log(`generating ${args.records.toLocaleString('en-US')} records over ${args.months} months in ${file}`);
      await writeExport(file, { records: args.records, months: args.months });
    }
    const runs: CompareRun[] = [];
    for (let pair = 1; pair <= pairs; pair++) {
      const order: CompareRun['side'][] = pair % 2 ? ['baseline', 'variant'] : ['variant', 'baseline'];
      for (const side of order) {
        // PGlite: only the ingest's folder (nothing runs beside the child, no server to clock).
        const dbs = args.engine === 'pglite'
          ? { childEnv: await freshPgliteIngest(dir), copy: undefined, drop: async () => undefined }
          : await benchDatabases(args.engine, dir, args.databaseUrl, false);
        try {
          const env = { ...dbs.childEnv };
          if (side === 'variant') env[name] = value;
          else delete env[name];
          const serverCpu = dbs.copy ? await localServerCpu(dbs.copy) : undefined;
          const server0 = serverCpu?.();
          const r = await runIngest(env, [file], false);
          const run: CompareRun = {
            pair, side, seconds: r.seconds, processCpu: r.cpuSeconds, serverCpu: serverCpu ? serverCpu() - server0! : undefined, peakRssMb: r.maxRssMb, inserted: r.result.inserted,
          };
          runs.push(run);
          log(`pair ${pair}/${pairs}, ${name}${side === 'variant' ? `=${value}` : ' unset'}: ${run.inserted} inserted in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMb.toFixed(0)} MB`);
        } finally {
          await dbs.drop();
        }
      }
    }
    const summary = summarizeComparison(runs);
    process.stdout.write(`${formatComparison(`${name}=${value}`, runs, summary)}\n`);
    if (args.json) writeFileSync(args.json, `${JSON.stringify({ setting: `${name}=${value}`, engine: args.engine, records: args.records, months: args.months, runs, summary, date: new Date().toISOString() }, null, 2)}\n`);
    return runs;
  } finally {
    folder.remove();
  }
}
