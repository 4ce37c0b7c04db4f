import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { applyHeapGrowthSetting, limitHeapGrowth } from '../src/process/heap-growth.js';

const MODULE = fileURLToPath(new URL('../src/process/heap-growth.ts', import.meta.url));

/**
 * An ingest's allocation pattern in miniature: batches of 5,000 ~600-byte strings that live
 * long enough to be promoted, then die; two batches are alive at a time. With APPLY set, the
 * CLI's setting is applied first (BRONZE_HEAP_GROWTH as given). Prints the peak of V8's used
 * heap in MB.
 */
const CHURN = `
  if (process.env.APPLY) (await import(${JSON.stringify(MODULE)})).applyHeapGrowthSetting();
  let peak = 0, kept = [], older = [];
  for (let b = 0; b < 200; b++) {
    const batch = [];
    for (let i = 0; i < 5000; i++) batch.push(JSON.stringify({ b, i, pad: 'x'.repeat(500 + (i % 97)) }));
    older = kept;
    kept = batch;
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, process.memoryUsage().heapUsed, older.length);
  }
  process.stdout.write(String(Math.round(peak / 2 ** 20)));
`;

function peakHeapMb(env: Record<string, string>): number {
  const { BRONZE_HEAP_GROWTH: _, ...rest } = process.env;
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHURN], { env: { ...rest, ...env }, encoding: 'utf8' }));
}

describe('the CLI heap growth setting', () => {
  it("keeps the old generation of a batch-shaped churn far below V8's default growth; BRONZE_HEAP_GROWTH=default keeps V8's", () => {
    const v8Default = peakHeapMb({});
    const limited = peakHeapMb({ APPLY: '1' });
    const optedOut = peakHeapMb({ APPLY: '1', BRONZE_HEAP_GROWTH: 'default' });
    // Measured here: 88 MB with V8's growth, 37–44 MB limited, 103 MB opted out.
    expect(limited).toBeLessThan(v8Default * 0.7);
    expect(optedOut).toBeGreaterThan(limited * 1.4);
  }, 60_000);

  it('warns about a value that is not a whole percentage, and limits growth anyway', () => {
    expect(applyHeapGrowthSetting({ BRONZE_HEAP_GROWTH: 'lots' })).toMatch(/BRONZE_HEAP_GROWTH=lots: not "default" nor a whole percentage from 1 to 1000; using 50/);
    expect(applyHeapGrowthSetting({ BRONZE_HEAP_GROWTH: '0' })).toMatch(/using 50/);
    expect(applyHeapGrowthSetting({ BRONZE_HEAP_GROWTH: '80' })).toBeUndefined();
    expect(applyHeapGrowthSetting({ BRONZE_HEAP_GROWTH: 'default' })).toBeUndefined();
    expect(applyHeapGrowthSetting({})).toBeUndefined();
    expect(() => limitHeapGrowth(12.5)).toThrow(/integer from 1 to 1000/);
  });
});
