/**
 * `pnpm bench`: generates a realistic Apple Health export and measures, in one run,
 * parse-only, raw COPY of the same rows, end-to-end ingest, an identical re-run and a
 * --force re-run of a +1% superset (against COPY-into-stage + INSERT … ON CONFLICT).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { rawCopyBaseline, stageAndInsertBaseline } from '@bronze/core';
import type { BenchArgs } from './args.js';
import { benchDatabases } from './databases.js';
import { writeExport } from './generate.js';
import { parseOnly, prepareCopyFiles } from './rows.js';
import { runIngest } from './run-ingest.js';
import { localServerCpu, processCpuSeconds } from './server-cpu.js';
import { ingestThroughSlowDb } from './slow-db.js';
import { cpuBound, formatReport, type BenchFigures, type StageCpu } from './report.js';

/** The table the raw COPY fills: bronze_bench_copy, made by the same DDL as every source's table. */
const COPY_SOURCE = 'bench_copy';

export async function runIngestBench(args: BenchArgs, log: (m: string) => void): Promise<void> {
const dir = args.dir ? (mkdirSync(args.dir, { recursive: true }), args.dir) : mkdtempSync(join(tmpdir(), 'bronze-bench-'));
const base = join(dir, 'export.xml');
const superset = join(dir, 'export-superset.xml');

log(`generating ${args.records.toLocaleString('en-US')} records over ${args.months} months (+1% superset) in ${dir}`);
const bytes = await writeExport(base, { records: args.records, months: args.months });
await writeExport(superset, { records: Math.round(args.records * 1.01), baseRecords: args.records, months: args.months });

log('parse only');
const parse = await parseOnly(base);
log(`  ${parse.records} elements in ${parse.seconds.toFixed(1)} s`);

log('preparing the rows as COPY data (envelope: hash, validation)');
const copyRows = await prepareCopyFiles(base, dir, 'base', `bronze_${COPY_SOURCE}`);
const supersetRows = await prepareCopyFiles(superset, dir, 'superset', `bronze_${COPY_SOURCE}`);

const dbs = await benchDatabases(args.engine, dir, args.databaseUrl, args.keep);
try {
  // CPU seconds of each stage, this process's (or the ingest child's) and the server's.
  const serverCpu = await localServerCpu(dbs.copy);
  const measured = async <T>(work: () => Promise<T>, childCpu?: (r: T) => number): Promise<[T, StageCpu]> => {
    const [server0, process0] = [serverCpu?.(), processCpuSeconds()];
    const value = await work();
    return [value, { process: childCpu ? childCpu(value) : processCpuSeconds() - process0, server: serverCpu ? serverCpu() - server0! : undefined }];
  };

  log('raw COPY into a fresh bronze table with the same partitions and indexes');
  const [copy, copyCpu] = await measured(() => rawCopyBaseline(dbs.copy, COPY_SOURCE, copyRows));
  log(`  ${copyRows.records} rows in ${copy.seconds.toFixed(1)} s`);

  log('end-to-end ingest');
  const [full, fullCpu] = await measured(() => runIngest(dbs.childEnv, [base], false), (r) => r.cpuSeconds);
  log(`  ${full.result.inserted} inserted in ${full.seconds.toFixed(1)} s, peak RSS ${full.maxRssMb.toFixed(0)} MB`);

  log('identical re-run');
  const again = await runIngest(dbs.childEnv, [base], false);
  log(`  skipped ${again.result.files.skipped} file(s) in ${again.seconds.toFixed(2)} s (process ${again.totalSeconds.toFixed(2)} s)`);

  log('superset re-run with --force');
  const [more, moreCpu] = await measured(() => runIngest(dbs.childEnv, [superset], true), (r) => r.cpuSeconds);
  log(`  ${more.result.inserted} inserted, ${more.result.unchanged} unchanged in ${more.seconds.toFixed(1)} s`);

  log('comparison: superset by COPY into a stage table + INSERT … ON CONFLICT DO NOTHING');
  const [stage, stageCpu] = await measured(() => stageAndInsertBaseline(dbs.copy, COPY_SOURCE, supersetRows));
  log(`  ${stage.inserted} inserted in ${stage.seconds.toFixed(1)} s`);

  let slow: Awaited<ReturnType<typeof ingestThroughSlowDb>> | undefined;
  if (args.slowDb && args.engine === 'postgres') {
    log(`end-to-end ingest through a proxy passing ${args.slowDb.toLocaleString('en-US')} bytes/s to PostgreSQL (fresh database)`);
    slow = await ingestThroughSlowDb(dbs.childEnv, base, args.slowDb);
    log(`  ${slow.result.inserted} inserted in ${slow.seconds.toFixed(1)} s, peak RSS ${slow.maxRssMb.toFixed(0)} MB`);
  }

  const figures: BenchFigures = {
    records: parse.records,
    months: args.months,
    bytes,
    parse_records_per_s: parse.records / parse.seconds,
    copy_records_per_s: copyRows.records / copy.seconds,
    ingest_records_per_s: full.result.seen / full.seconds,
    ratio_ingest_to_copy: full.result.seen / full.seconds / (copyRows.records / copy.seconds),
    ratio_ingest_to_parse: full.result.seen / full.seconds / (parse.records / parse.seconds),
    rerun_identical_seconds: again.seconds,
    rerun_superset_records_per_s: more.result.seen / more.seconds,
    stage_superset_records_per_s: supersetRows.records / stage.seconds,
    envelope_records_per_s: copyRows.records / copyRows.seconds,
    peak_rss_mb: Math.max(full.maxRssMb, again.maxRssMb, more.maxRssMb),
    cpu_seconds: { copy: copyCpu, ingest: fullCpu, superset: moreCpu, stage: stageCpu },
    cores: availableParallelism(),
    superset_records: more.result.seen,
    ratio_bound_by_cpu: cpuBound(copy.seconds, fullCpu, availableParallelism(), args.engine),
    ...(slow ? { slow_db_bytes_per_s: args.slowDb, slow_db_ingest_records_per_s: slow.result.seen / slow.seconds, slow_db_peak_rss_mb: slow.maxRssMb } : {}),
    engine: args.engine,
    postgres_version: dbs.version,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`,
    date: new Date().toISOString(),
  };
  process.stdout.write(`${formatReport(figures)}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  await dbs.drop();
  if (!args.keep && !args.dir) rmSync(dir, { recursive: true, force: true });
}
}
