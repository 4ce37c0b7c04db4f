export interface BenchFigures {
  records: number;
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
  engine: string;
  postgres_version: string;
  machine: string;
  date: string;
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

/** A markdown table of the run's figures. */
export function formatReport(f: BenchFigures): string {
  const rows: [string, string][] = [
    ['records (all streams) / file size', `${n(f.records)} / ${(f.bytes / 1e6).toFixed(0)} MB`],
    ['parse only', `${n(f.parse_records_per_s)} rec/s (${((f.parse_records_per_s * f.bytes) / f.records / 1e6).toFixed(1)} MB/s)`],
    ['parse + envelope (hash, validation), no DB', `${n(f.envelope_records_per_s)} rec/s`],
    ['raw COPY, same table and indexes', `${n(f.copy_records_per_s)} rec/s`],
    ['end-to-end ingest', `${n(f.ingest_records_per_s)} rec/s`],
    ['ingest / COPY', f.ratio_ingest_to_copy.toFixed(2)],
    ['ingest / parse', f.ratio_ingest_to_parse.toFixed(2)],
    ['identical re-run', `${f.rerun_identical_seconds.toFixed(2)} s`],
    ['+1% superset re-run (--force)', `${n(f.rerun_superset_records_per_s)} rec/s`],
    ['same superset: COPY to stage + INSERT … ON CONFLICT', `${n(f.stage_superset_records_per_s)} rec/s`],
    ['peak RSS of an ingest process', `${n(f.peak_rss_mb)} MB`],
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
