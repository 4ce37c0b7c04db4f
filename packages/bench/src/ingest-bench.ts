/**
 * `pnpm bench`: generates a realistic Apple Health export and measures, in one run,
 * parse-only, raw COPY of the same rows, end-to-end ingest, an identical re-run and a
 * --force re-run of a +1% superset (against COPY-into-stage + INSERT … ON CONFLICT);
 * with --rounds N, the comparisons N times on fresh databases, reported by their median.
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchArgs } from './args.js';
import { benchFolder } from './bench-folder.js';
import { writeExport } from './generate.js';
import { COPY_SOURCE, measureRound, type Round } from './ingest-round.js';
import { parseOnly, prepareCopyFiles } from './rows.js';
import { cpuBound, formatReport, representativeRounds, type BenchFigures } from './report.js';

export async function runIngestBench(args: BenchArgs, log: (m: string) => void): Promise<void> {
const folder = benchFolder(args);
const dir = folder.dir;
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

try {
  const rounds: Round[] = [];
  for (let k = 0; k < args.rounds; k++) {
    rounds.push(await measureRound(args, dir, { base, superset, copyRows, supersetRows }, k === 0, args.rounds > 1 ? `round ${k + 1}/${args.rounds}: ` : '', log));
  }
  const chosen = representativeRounds(rounds);
  const { copy, copyCpu, fullCpu } = chosen.ingest;
  const { more, moreCpu, stageCpu } = chosen.superset;
  const { again, slow, version } = rounds[0];
  const figures: BenchFigures = {
    records: parse.records,
    months: args.months,
    bytes,
    parse_records_per_s: parse.records / parse.seconds,
    copy_records_per_s: chosen.ingest.figures.copy_records_per_s,
    ingest_records_per_s: chosen.ingest.figures.ingest_records_per_s,
    ratio_ingest_to_copy: chosen.ingest.figures.ratio_ingest_to_copy,
    ratio_ingest_to_parse: chosen.ingest.figures.ingest_records_per_s / (parse.records / parse.seconds),
    rerun_identical_seconds: again!.seconds,
    rerun_superset_records_per_s: chosen.superset.figures.rerun_superset_records_per_s,
    stage_superset_records_per_s: chosen.superset.figures.stage_superset_records_per_s,
    envelope_records_per_s: copyRows.records / copyRows.seconds,
    peak_rss_mb: chosen.peakRssMb,
    cpu_seconds: { copy: copyCpu, ingest: fullCpu, superset: moreCpu, stage: stageCpu },
    cores: availableParallelism(),
    superset_records: more.result.seen,
    ratio_bound_by_cpu: cpuBound(copy.seconds, fullCpu, availableParallelism(), args.engine),
    ...(slow ? { slow_db_bytes_per_s: args.slowDb, slow_db_ingest_records_per_s: slow.result.seen / slow.seconds, slow_db_peak_rss_mb: slow.maxRssMb } : {}),
    engine: args.engine,
    postgres_version: version,
    ...(args.rounds > 1 ? { rounds: rounds.map((r) => r.figures) } : {}),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`,
    date: new Date().toISOString(),
  };
  process.stdout.write(`${formatReport(figures)}\n`);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  folder.remove();
}
}
