import { describe, expect, it } from 'vitest';
import { INGEST_MONTHS, parseBenchArgs, QUERY_MONTHS } from '../src/args.js';
import { queryDatabaseName } from '../src/queries/run-queries.js';

const server = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' };

describe('--months', () => {
  it('defaults to three years for the ingest and five for the queries', () => {
    expect(parseBenchArgs([], {}).months).toBe(INGEST_MONTHS);
    expect(INGEST_MONTHS).toBe(36);
    expect(parseBenchArgs(['--queries'], server).months).toBe(QUERY_MONTHS);
    expect(QUERY_MONTHS).toBe(60);
  });

  it('sets the span of either bench', () => {
    expect(parseBenchArgs(['--records', '300000', '--months', '60'], {}).months).toBe(60);
    expect(parseBenchArgs(['--queries', '--months', '12'], server).months).toBe(12);
  });

  it('refuses what the generated data cannot be', () => {
    expect(() => parseBenchArgs(['--months', '0'], {})).toThrow(/--months must be a positive integer/);
    expect(() => parseBenchArgs(['--months', '1.5'], {})).toThrow(/--months must be a positive integer/);
    // The containment queries read a quarter inside the data.
    expect(() => parseBenchArgs(['--queries', '--months', '2'], server)).toThrow(/at least 3 with --queries/);
    expect(() => parseBenchArgs(['--startup', '--months', '12'], server)).toThrow(/--months applies to/);
    expect(() => parseBenchArgs(['--source', 'google-takeout', '--months', '12'], {})).toThrow(/--months applies to/);
  });

  it('keeps query data of another span in another database', () => {
    // Five years keep the name earlier runs loaded, so their 15 GB are reused.
    expect(queryDatabaseName(10_000_000, 60)).toBe('bronze_qbench_10000000');
    expect(queryDatabaseName(10_000_000, 12)).toBe('bronze_qbench_10000000_12m');
    expect(queryDatabaseName(2_000_000, 12)).not.toBe(queryDatabaseName(2_000_000, 24));
  });
});

describe('--rounds', () => {
  it('runs the ingest comparisons once unless asked', () => {
    expect(parseBenchArgs([], {}).rounds).toBe(1);
    expect(parseBenchArgs(['--rounds', '3'], server).rounds).toBe(3);
  });

  it('refuses a count that is no count, and the benches it does not apply to', () => {
    expect(() => parseBenchArgs(['--rounds', '0'], {})).toThrow(/--rounds must be a positive integer/);
    expect(() => parseBenchArgs(['--rounds', 'two'], {})).toThrow(/--rounds must be a positive integer/);
    expect(() => parseBenchArgs(['--queries', '--rounds', '3'], server)).toThrow(/--rounds applies to/);
    expect(() => parseBenchArgs(['--startup', '--rounds', '3'], server)).toThrow(/--rounds applies to/);
    expect(() => parseBenchArgs(['--source', 'google-takeout', '--rounds', '3'], {})).toThrow(/--rounds applies to/);
  });
});
