import type { BenchArgs } from './args.js';
import { benchDatabases } from './databases.js';
import { rawCopyBaseline, stageAndInsertBaseline } from '@bronze/core';
import type { CopyFiles } from './rows.js';
import { runIngest, type ChildIngest } from './run-ingest.js';
import { localServerCpu, processCpuSeconds } from './server-cpu.js';
import { ingestThroughSlowDb } from './slow-db.js';
import type { RoundFigures, StageCpu } from './report.js';

/** The table the raw COPY fills: bronze_bench_copy, made by the same DDL as every source's table. */
export const COPY_SOURCE = 'bench_copy';

export interface RoundInputs {
  base: string;
  superset: string;
  copyRows: CopyFiles;
  supersetRows: CopyFiles;
}

/** One round's measurements; the identical re-run and the slowed database in the first round only. */
export interface Round {
  figures: RoundFigures;
  version: string;
  copy: { seconds: number };
  copyCpu: StageCpu;
  full: ChildIngest;
  fullCpu: StageCpu;
  more: ChildIngest;
  moreCpu: StageCpu;
  stage: { seconds: number; inserted: number };
  stageCpu: StageCpu;
  again?: ChildIngest;
  slow?: ChildIngest;
}

/**
 * On fresh databases: the raw COPY, the end-to-end ingest, (first round: an identical re-run),
 * the --force superset re-run and its stage + ON CONFLICT comparison, (first round, with
 * --slow-db: the ingest through the throttled proxy). Rounds run one after the other, so each
 * round's ratios compare stages minutes apart, as one run always did.
 */
export async function measureRound(args: BenchArgs, dir: string, input: RoundInputs, first: boolean, label: string, log: (m: string) => void): Promise<Round> {
  const { base, superset, copyRows, supersetRows } = input;
  const dbs = await benchDatabases(args.engine, dir, args.databaseUrl, args.keep);
  try {
    // CPU seconds of each stage, this process's (or the ingest child's) and the server's.
    const serverCpu = await localServerCpu(dbs.copy);
    const measured = async <T>(work: () => Promise<T>, childCpu?: (r: T) => number): Promise<[T, StageCpu]> => {
      const [server0, process0] = [serverCpu?.(), processCpuSeconds()];
      const value = await work();
      return [value, { process: childCpu ? childCpu(value) : processCpuSeconds() - process0, server: serverCpu ? serverCpu() - server0! : undefined }];
    };

    log(`${label}raw COPY into a fresh bronze table with the same partitions and indexes`);
    const [copy, copyCpu] = await measured(() => rawCopyBaseline(dbs.copy, COPY_SOURCE, copyRows));
    log(`  ${copyRows.records} rows in ${copy.seconds.toFixed(1)} s`);

    log(`${label}end-to-end ingest`);
    const [full, fullCpu] = await measured(() => runIngest(dbs.childEnv, [base], false), (r) => r.cpuSeconds);
    log(`  ${full.result.inserted} inserted in ${full.seconds.toFixed(1)} s, peak RSS ${full.maxRssMb.toFixed(0)} MB`);

    let again: ChildIngest | undefined;
    if (first) {
      log('identical re-run');
      again = await runIngest(dbs.childEnv, [base], false);
      log(`  skipped ${again.result.files.skipped} file(s) in ${again.seconds.toFixed(2)} s (process ${again.totalSeconds.toFixed(2)} s)`);
    }

    log(`${label}superset re-run with --force`);
    const [more, moreCpu] = await measured(() => runIngest(dbs.childEnv, [superset], true), (r) => r.cpuSeconds);
    log(`  ${more.result.inserted} inserted, ${more.result.unchanged} unchanged in ${more.seconds.toFixed(1)} s`);

    log(`${label}comparison: superset by COPY into a stage table + INSERT … ON CONFLICT DO NOTHING`);
    const [stage, stageCpu] = await measured(() => stageAndInsertBaseline(dbs.copy, COPY_SOURCE, supersetRows));
    log(`  ${stage.inserted} inserted in ${stage.seconds.toFixed(1)} s`);

    let slow: ChildIngest | undefined;
    if (first && args.slowDb && args.engine === 'postgres') {
      log(`end-to-end ingest through a proxy passing ${args.slowDb.toLocaleString('en-US')} bytes/s to PostgreSQL (fresh database)`);
      slow = await ingestThroughSlowDb(dbs.childEnv, base, args.slowDb);
      log(`  ${slow.result.inserted} inserted in ${slow.seconds.toFixed(1)} s, peak RSS ${slow.maxRssMb.toFixed(0)} MB`);
    }

    const copyRate = copyRows.records / copy.seconds;
    const ingestRate = full.result.seen / full.seconds;
    const supersetRate = more.result.seen / more.seconds;
    const stageRate = supersetRows.records / stage.seconds;
    const figures: RoundFigures = {
      copy_records_per_s: copyRate,
      ingest_records_per_s: ingestRate,
      ratio_ingest_to_copy: ingestRate / copyRate,
      rerun_superset_records_per_s: supersetRate,
      stage_superset_records_per_s: stageRate,
      ratio_superset_to_stage: supersetRate / stageRate,
      peak_rss_mb: Math.max(full.maxRssMb, more.maxRssMb, again?.maxRssMb ?? 0),
    };
    if (args.rounds > 1) log(`  ${label}ingest / COPY ${figures.ratio_ingest_to_copy.toFixed(2)}, superset / stage ${figures.ratio_superset_to_stage.toFixed(2)}`);
    return { figures, version: dbs.version, copy, copyCpu, full, fullCpu, more, moreCpu, stage, stageCpu, again, slow };
  } finally {
    await dbs.drop();
  }
}
