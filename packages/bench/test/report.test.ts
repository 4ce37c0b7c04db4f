import { describe, expect, it } from 'vitest';
import { cpuBound, formatReport, type BenchFigures } from '../src/report.js';

describe('cpuBound', () => {
  it('is the raw COPY wall time over the ingest CPU spread on every core', () => {
    // 60 s of CPU on 2 cores needs at least 30 s: against a 21 s raw COPY, at most 0.7.
    expect(cpuBound(21, { process: 40, server: 20 }, 2, 'postgres')).toBeCloseTo(0.7);
    expect(cpuBound(21, { process: 40, server: 20 }, 4, 'postgres')).toBeCloseTo(1.4);
    // PGlite: the database runs in the process; its CPU is the process's.
    expect(cpuBound(21, { process: 42 }, 2, 'pglite')).toBeCloseTo(1);
    // The server's share unknown (another machine): no bound.
    expect(cpuBound(21, { process: 40 }, 2, 'postgres')).toBeUndefined();
  });
});

describe('formatReport', () => {
  const figures: BenchFigures = {
    records: 1000, months: 36, bytes: 1e6, parse_records_per_s: 1, copy_records_per_s: 1, ingest_records_per_s: 1, ratio_ingest_to_copy: 1,
    ratio_ingest_to_parse: 1, rerun_identical_seconds: 0, rerun_superset_records_per_s: 1, stage_superset_records_per_s: 1,
    envelope_records_per_s: 1, peak_rss_mb: 100, engine: 'postgres', postgres_version: '15', machine: 'm', date: 'd',
    cpu_seconds: { copy: { process: 0.001, server: 0.02 }, ingest: { process: 0.05, server: 0.03 }, superset: { process: 0.02, server: 0.01 }, stage: { process: 0.002 } },
    cores: 2, superset_records: 1010, ratio_bound_by_cpu: 0.65,
  };
  it('shows CPU per record of each stage, process and server', () => {
    const text = formatReport(figures);
    expect(text).toContain('| CPU per record, raw COPY: process + server | 1 + 20 µs |');
    expect(text).toContain('| CPU per record, ingest: process + server | 50 + 30 µs |');
    expect(text).toContain('| CPU per record, stage + ON CONFLICT: process + server | 2 µs + server not measured (not on this machine) |');
    expect(text).toContain('| highest ingest / COPY that CPU allows on 2 cores | 0.65 |');
  });
  it('says how many months the export spans', () => {
    expect(formatReport(figures)).toContain('| records (all streams) over months / file size | 1,000 over 36 / 1 MB |');
  });
});
