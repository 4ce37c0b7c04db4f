import { describe, expect, it } from 'vitest';
import { cpuBound, formatReport, medianIndex, representativeRounds, type BenchFigures, type RoundFigures } from '../src/report.js';

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

describe('medianIndex', () => {
  it('points at the middle value, the lower middle one for an even count', () => {
    expect(medianIndex([0.9])).toBe(0);
    expect(medianIndex([0.93, 0.81, 0.88])).toBe(2);
    expect(medianIndex([0.7, 0.9, 0.8, 0.6])).toBe(0);
    expect(() => medianIndex([])).toThrow(/no values/);
  });
});

describe('formatReport with rounds', () => {
  const round = (ingest: number, superset: number, rss: number): RoundFigures => ({
    copy_records_per_s: 100, ingest_records_per_s: 100 * ingest, ratio_ingest_to_copy: ingest,
    rerun_superset_records_per_s: 50 * superset, stage_superset_records_per_s: 50, ratio_superset_to_stage: superset, peak_rss_mb: rss,
  });
  const base: BenchFigures = {
    records: 1000, months: 36, bytes: 1e6, parse_records_per_s: 1, copy_records_per_s: 100, ingest_records_per_s: 88, ratio_ingest_to_copy: 0.88,
    ratio_ingest_to_parse: 1, rerun_identical_seconds: 0, rerun_superset_records_per_s: 51, stage_superset_records_per_s: 50,
    envelope_records_per_s: 1, peak_rss_mb: 151, engine: 'postgres', postgres_version: '15', machine: 'm', date: 'd',
    cpu_seconds: { copy: { process: 0.001, server: 0.02 }, ingest: { process: 0.05, server: 0.03 }, superset: { process: 0.02, server: 0.01 }, stage: { process: 0.002 } },
    cores: 2, superset_records: 1010,
  };
  it('shows every round, in order, beside the median and the highest RSS', () => {
    const text = formatReport({ ...base, rounds: [round(0.81, 1.1, 140), round(0.93, 0.95, 151), round(0.88, 1.02, 138)] });
    expect(text).toContain('| ingest / COPY | 0.88 (median of 3 rounds: 0.81, 0.93, 0.88) |');
    expect(text).toContain('| +1% superset / stage + ON CONFLICT | 1.02 (median of 3 rounds: 1.10, 0.95, 1.02) |');
    expect(text).toContain('| peak RSS of an ingest process | 151 MB (highest of 3 rounds: 140, 151, 138) |');
  });
  it('says nothing of rounds for one round', () => {
    const text = formatReport(base);
    expect(text).toContain('| ingest / COPY | 0.88 |');
    expect(text).toContain('| +1% superset / stage + ON CONFLICT | 1.02 |');
    expect(text).not.toContain('rounds');
  });
});

describe('representativeRounds', () => {
  const round = (name: string, ingest: number, superset: number, rss: number) => ({
    name,
    figures: {
      copy_records_per_s: 100, ingest_records_per_s: 100 * ingest, ratio_ingest_to_copy: ingest,
      rerun_superset_records_per_s: 50 * superset, stage_superset_records_per_s: 50, ratio_superset_to_stage: superset, peak_rss_mb: rss,
    },
  });
  it('takes each comparison from the round of its median ratio, and the highest RSS of all', () => {
    // The rounds' order is not the ratios' order, and the two medians are different rounds.
    const chosen = representativeRounds([round('a', 0.93, 0.95, 138), round('b', 0.81, 1.02, 151), round('c', 0.88, 1.1, 140)]);
    expect(chosen.ingest.name).toBe('c');
    expect(chosen.superset.name).toBe('b');
    expect(chosen.peakRssMb).toBe(151);
  });
  it('is the round itself when there is one', () => {
    const only = round('a', 0.7, 1.2, 130);
    expect(representativeRounds([only])).toEqual({ ingest: only, superset: only, peakRssMb: 130 });
  });
});
