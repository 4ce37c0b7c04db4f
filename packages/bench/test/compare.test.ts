import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEngines } from '@bronze/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBenchArgs } from '../src/args.js';
import { runCompareBench } from '../src/compare/run-compare.js';
import { assertIngestReads, ingestBuiltFiles } from '../src/compare/read-setting.js';
import { summarizeComparison, type CompareRun } from '../src/compare/summary.js';

const run = (pair: number, side: CompareRun['side'], seconds: number, inserted = 100): CompareRun => ({ pair, side, seconds, processCpu: seconds / 2, peakRssMb: 100 + pair, inserted });

describe('summarizeComparison', () => {
  it('compares within each pair, whichever side ran first', () => {
    const s = summarizeComparison([run(1, 'baseline', 50), run(1, 'variant', 48), run(2, 'variant', 60), run(2, 'baseline', 57), run(3, 'baseline', 47), run(3, 'variant', 45)]);
    expect(s.differences).toEqual([-2, 3, -2]);
    expect(s.medianDifference).toBe(-2);
    expect(s.variantFaster).toBe(2);
    expect(s.baseline.medianSeconds).toBe(50);
    expect(s.variant.medianSeconds).toBe(48);
    expect(s.variant.peakRssMb).toBe(103);
    // No server figure unless every run of the side has one (PGlite: none).
    expect(s.baseline.medianServerCpu).toBeUndefined();
  });

  it('refuses runs that stored different numbers of rows, and a pair without one side', () => {
    expect(() => summarizeComparison([run(1, 'baseline', 50, 100), run(1, 'variant', 40, 99)])).toThrow(/stored different numbers of rows \(100, 99\)/);
    expect(() => summarizeComparison([run(1, 'baseline', 50), run(1, 'variant', 40), run(2, 'baseline', 50)])).toThrow(/pair 2 lacks its variant run/);
  });
});

describe('--compare arguments', () => {
  it('takes NAME=VALUE and --pairs (default 3)', () => {
    expect(parseBenchArgs(['--compare', 'BRONZE_BULK_MONTHS=off'], {}).compare).toEqual({ name: 'BRONZE_BULK_MONTHS', value: 'off', pairs: 3 });
    expect(parseBenchArgs(['--compare', 'X=a=b', '--pairs', '5'], {}).compare).toEqual({ name: 'X', value: 'a=b', pairs: 5 });
    expect(parseBenchArgs([], {}).compare).toBeUndefined();
  });

  it('refuses what it cannot compare', () => {
    expect(() => parseBenchArgs(['--compare', 'off'], {})).toThrow(/--compare takes NAME=VALUE/);
    expect(() => parseBenchArgs(['--compare', 'A=1', '--rounds', '3'], {})).toThrow(/--compare is a mode of its own/);
    expect(() => parseBenchArgs(['--compare', 'A=1', '--startup'], {})).toThrow(/--compare is a mode of its own/);
    expect(() => parseBenchArgs(['--pairs', '2'], {})).toThrow(/--pairs applies to --compare/);
    expect(() => parseBenchArgs(['--compare', 'A=1', '--pairs', '0'], {})).toThrow(/--pairs must be a positive integer/);
  });
});

describe('--compare refuses a BRONZE_ variable the ingest does not read', () => {
  it('names the built files it looked in; switches the ingest reads, and variables of Node or pg, pass', () => {
    expect(ingestBuiltFiles().every((f) => existsSync(f))).toBe(true);
    expect(() => assertIngestReads('BRONZE_BULK_MONTH')).toThrow(/no code the ingest runs \(.*packages\/core\/dist\/index\.js.*\) reads BRONZE_BULK_MONTH, so both sides/);
    // Only on the experiment's branch (docs/experiments/staged-latest.patch), not on main.
    expect(() => assertIngestReads('BRONZE_BULK_LATEST')).toThrow(/reads BRONZE_BULK_LATEST/);
    for (const name of ['BRONZE_BULK_MONTHS', 'BRONZE_READ_WORKER', 'BRONZE_HEAP_GROWTH', 'NODE_OPTIONS', 'PGOPTIONS']) expect(() => assertIngestReads(name)).not.toThrow();
  });

  it('before any run or file is made', async () => {
    const at = join(tmpdir(), `bronze-compare-refused-${process.pid}`);
    await expect(runCompareBench(parseBenchArgs(['--compare', 'BRONZE_BULK_MONTH=off', '--records', '300', '--engine', 'pglite', '--dir', at], {}), () => undefined)).rejects.toThrow(/reads BRONZE_BULK_MONTH/);
    expect(existsSync(at)).toBe(false);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'bronze-bench-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(testEngines())('pnpm bench --compare [%s]', (engine) => {
  const env = engine === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {};
  const args = (setting: string, pairs: number, json?: string) =>
    parseBenchArgs(['--compare', setting, '--pairs', String(pairs), '--records', '300', '--engine', engine, '--dir', join(dir, engine), ...(json ? ['--json', json] : [])], env);

  it('runs the ingest unset then set, then set then unset, each on a fresh database, and writes the figures', async () => {
    const json = join(dir, `${engine}.json`);
    const runs = await runCompareBench(args('BRONZE_BULK_MONTHS=off', 2, json), () => undefined);
    expect(runs.map((r) => `${r.pair} ${r.side}`)).toEqual(['1 baseline', '1 variant', '2 variant', '2 baseline']);
    // A fresh database each time: every run stores every record.
    expect(new Set(runs.map((r) => r.inserted)).size).toBe(1);
    expect(runs[0].inserted).toBeGreaterThanOrEqual(300);
    expect(runs.every((r) => (engine === 'postgres' ? r.serverCpu! > 0 : r.serverCpu === undefined))).toBe(true);
    const written = JSON.parse(readFileSync(json, 'utf8'));
    expect(written).toMatchObject({ setting: 'BRONZE_BULK_MONTHS=off', engine, records: 300 });
    expect(written.summary.differences).toHaveLength(2);
    // PGlite: the ingest's folder only; the raw COPY's copy-db is not made for a comparison.
    expect(existsSync(join(dir, engine, 'copy-db'))).toBe(false);
  }, 300_000);

  it('sets the variable for the variant only: a value the ingest refuses fails the variant, after the baseline ran', async () => {
    const heard: string[] = [];
    // The child prints its refusal (BRONZE_HEAP_GROWTH must be…) to the inherited stderr.
    await expect(runCompareBench(args('BRONZE_HEAP_GROWTH=lots', 1), (m) => heard.push(m))).rejects.toThrow(/ingest child exited 1/);
    expect(heard.filter((m) => /^pair 1\/1, BRONZE_HEAP_GROWTH unset: \d+ inserted/.test(m))).toHaveLength(1);
    expect(heard.filter((m) => /BRONZE_HEAP_GROWTH=lots:/.test(m))).toEqual([]);
  }, 300_000);
});
