/** CPU seconds of one stage: the process that did it (the bench, or the ingest child) and the PostgreSQL server. */
export interface StageCpu {
  process: number;
  /** Undefined when the server is not a process of this machine (or the database is PGlite, inside the process). */
  server?: number;
}

export interface BenchFigures {
  records: number;
  /** Months the generated export spans (--months). */
  months: number;
  bytes: number;
  parse_records_per_s: number;
  copy_records_per_s: number;
  ingest_records_per_s: number;
  ratio_ingest_to_copy: number;
  ratio_ingest_to_parse: number;
  rerun_identical_seconds: number;
  rerun_superset_records_per_s: number;
  /** The comparison for the superset: COPY into a stage table + INSERT … ON CONFLICT DO NOTHING. */
  stage_superset_records_per_s: number;
  /** Parse + envelope (hash, validation, COPY text) without a database. */
  envelope_records_per_s: number;
  peak_rss_mb: number;
  /** With --slow-db: the proxy's rate towards PostgreSQL, the ingest rate and peak RSS through it. */
  slow_db_bytes_per_s?: number;
  slow_db_ingest_records_per_s?: number;
  slow_db_peak_rss_mb?: number;
  /** CPU seconds of the raw COPY, the ingest, the superset re-run and its stage comparison. */
  cpu_seconds: { copy: StageCpu; ingest: StageCpu; superset: StageCpu; stage: StageCpu };
  /** CPUs this machine offers (availableParallelism). */
  cores: number;
  /** Records of the +1% superset (the CPU of its stages is per one of these). */
  superset_records: number;
  /**
   * The highest ingest / raw COPY these CPU seconds allow on `cores` CPUs with perfect overlap
   * (raw COPY's wall time over the ingest's CPU seconds / cores); undefined when the server's
   * CPU could not be read.
   */
  ratio_bound_by_cpu?: number;
  /**
   * With --rounds N > 1: each round's figures (fresh databases, raw COPY, ingest, superset,
   * stage comparison). The ratios above are then the rounds' medians, the rates and CPU those
   * of the median round, and peak_rss_mb the highest of every ingest process of every round.
   */
  rounds?: RoundFigures[];
  engine: string;
  postgres_version: string;
  machine: string;
  date: string;
}

/** One round of the raw COPY and ingest comparison (--rounds). */
export interface RoundFigures {
  copy_records_per_s: number;
  ingest_records_per_s: number;
  ratio_ingest_to_copy: number;
  rerun_superset_records_per_s: number;
  stage_superset_records_per_s: number;
  ratio_superset_to_stage: number;
  peak_rss_mb: number;
}

/**
 * The index of the median of `values` (the lower middle one for an even count): the round
 * whose figures stand for the run, so that its rates and its ratio belong together.
 */
export function medianIndex(values: readonly number[]): number {
  if (!values.length) throw new Error('medianIndex: no values');
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)][1];
}

/**
 * Which rounds stand for the run: the one with the median ingest / COPY (its rates and CPU go
 * with its ratio), the one with the median superset ratio, and the highest peak RSS of all.
 */
export function representativeRounds<T extends { figures: RoundFigures }>(rounds: readonly T[]): { ingest: T; superset: T; peakRssMb: number } {
  return {
    ingest: rounds[medianIndex(rounds.map((r) => r.figures.ratio_ingest_to_copy))],
    superset: rounds[medianIndex(rounds.map((r) => r.figures.ratio_superset_to_stage))],
    peakRssMb: Math.max(...rounds.map((r) => r.figures.peak_rss_mb)),
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

/**
 * Ingest / raw COPY cannot exceed this on `cores` CPUs: the ingest needs at least its CPU
 * seconds (process + server) / cores of wall time. Undefined when the server's share is
 * unknown (a server on another machine: then the cores are not shared either).
 */
export function cpuBound(copySeconds: number, ingest: StageCpu, cores: number, engine: string): number | undefined {
  const total = engine === 'pglite' ? ingest.process : ingest.server === undefined ? undefined : ingest.process + ingest.server;
  return total === undefined || total <= 0 ? undefined : copySeconds / (total / cores);
}

/** CPU per record of a stage, as "process + server µs". */
function perRecord(cpu: StageCpu, records: number, engine: string): string {
  const us = (s: number) => n((s * 1e6) / records);
  if (engine === 'pglite') return `${us(cpu.process)} µs (the database runs in the process)`;
  return cpu.server === undefined ? `${us(cpu.process)} µs + server not measured (not on this machine)` : `${us(cpu.process)} + ${us(cpu.server)} µs`;
}

/** ` (median of 3 rounds: 0.81, 0.88, 0.93)`, in the rounds' order; '' for one round. */
function ofRounds(f: BenchFigures, pick: (r: RoundFigures) => number, what = 'median', show = (x: number) => x.toFixed(2)): string {
  return f.rounds && f.rounds.length > 1 ? ` (${what} of ${f.rounds.length} rounds: ${f.rounds.map((r) => show(pick(r))).join(', ')})` : '';
}

/** A markdown table of the run's figures. */
export function formatReport(f: BenchFigures): string {
  const rows: [string, string][] = [
    ['records (all streams) over months / file size', `${n(f.records)} over ${f.months} / ${(f.bytes / 1e6).toFixed(0)} MB`],
    ['parse only', `${n(f.parse_records_per_s)} rec/s (${((f.parse_records_per_s * f.bytes) / f.records / 1e6).toFixed(1)} MB/s)`],
    ['parse + envelope (hash, validation), no DB', `${n(f.envelope_records_per_s)} rec/s`],
    ['raw COPY, same table and indexes', `${n(f.copy_records_per_s)} rec/s`],
    ['end-to-end ingest', `${n(f.ingest_records_per_s)} rec/s`],
    ['ingest / COPY', f.ratio_ingest_to_copy.toFixed(2) + ofRounds(f, (r) => r.ratio_ingest_to_copy)],
    ['ingest / parse', f.ratio_ingest_to_parse.toFixed(2)],
    ['identical re-run', `${f.rerun_identical_seconds.toFixed(2)} s`],
    ['+1% superset re-run (--force)', `${n(f.rerun_superset_records_per_s)} rec/s`],
    ['same superset: COPY to stage + INSERT … ON CONFLICT', `${n(f.stage_superset_records_per_s)} rec/s`],
    ['+1% superset / stage + ON CONFLICT', (f.rerun_superset_records_per_s / f.stage_superset_records_per_s).toFixed(2) + ofRounds(f, (r) => r.ratio_superset_to_stage)],
    ['peak RSS of an ingest process', `${n(f.peak_rss_mb)} MB${ofRounds(f, (r) => r.peak_rss_mb, 'highest', (x) => n(x))}`],
    ['CPU per record, raw COPY: process + server', perRecord(f.cpu_seconds.copy, f.records, f.engine)],
    ['CPU per record, ingest: process + server', perRecord(f.cpu_seconds.ingest, f.records, f.engine)],
    ['CPU per record, superset re-run: process + server', perRecord(f.cpu_seconds.superset, f.superset_records, f.engine)],
    ['CPU per record, stage + ON CONFLICT: process + server', perRecord(f.cpu_seconds.stage, f.superset_records, f.engine)],
    [`highest ingest / COPY that CPU allows on ${f.cores} cores`, f.ratio_bound_by_cpu === undefined ? 'not measured' : f.ratio_bound_by_cpu.toFixed(2)],
  ];
  if (f.slow_db_peak_rss_mb !== undefined) {
    rows.push([`ingest through a proxy passing ${n(f.slow_db_bytes_per_s!)} B/s to the database`, `${n(f.slow_db_ingest_records_per_s!)} rec/s`]);
    rows.push(['peak RSS of that ingest process (database slower than the parser)', `${n(f.slow_db_peak_rss_mb)} MB`]);
  }
  return [
    `engine: ${f.engine} (PostgreSQL ${f.postgres_version}); machine: ${f.machine}; ${f.date}`,
    '',
    '| measure | result |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
  ].join('\n');
}
