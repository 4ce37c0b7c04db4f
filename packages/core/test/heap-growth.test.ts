import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { applyHeapGrowthSetting, limitHeapGrowth } from '../src/process/heap-growth.js';

const MODULE = fileURLToPath(new URL('../src/process/heap-growth.ts', import.meta.url));

/**
 * An ingest's allocation pattern in miniature: batches of 5,000 ~600-byte strings that live
 * long enough to be promoted, then die; two batches are alive at a time. With APPLY set, the
 * CLI's setting is applied first (BRONZE_HEAP_GROWTH as given); with RESTORE too, the setting
 * `default` is applied after it (V8's growth back in the same process). Prints the peak of
 * V8's used heap in MB.
 */
const CHURN = `
  if (process.env.APPLY) (await import(${JSON.stringify(MODULE)})).applyHeapGrowthSetting();
  if (process.env.RESTORE) (await import(${JSON.stringify(MODULE)})).applyHeapGrowthSetting({ BRONZE_HEAP_GROWTH: 'default' });
  let peak = 0;
  const alive = [];
  for (let b = 0; b < 200; b++) {
    const batch = [];
    for (let i = 0; i < 5000; i++) batch.push(JSON.stringify({ b, i, pad: 'x'.repeat(500 + (i % 97)) }));
    alive.push(batch);
    if (alive.length > 2) alive.shift();
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  process.stdout.write(String(Math.round(peak / 2 ** 20)));
`;

function peakHeapMb(env: Record<string, string>): number {
  const { BRONZE_HEAP_GROWTH: _, ...rest } = process.env;
  return Number(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHURN], { env: { ...rest, ...env }, encoding: 'utf8' }));
}

describe('the CLI heap growth setting', () => {
  // The cases below set the flag in this test process: V8's growth back afterwards.
  afterAll(() => void applyHeapGrowthSetting({ BRONZE_HEAP_GROWTH: 'default' }));

  it("keeps the old generation of a batch-shaped churn far below V8's default growth; BRONZE_HEAP_GROWTH=default keeps V8's", () => {
    const v8Default = peakHeapMb({});
    const limited = peakHeapMb({ APPLY: '1' });
    const optedOut = peakHeapMb({ APPLY: '1', BRONZE_HEAP_GROWTH: 'default' });
    const restored = peakHeapMb({ APPLY: '1', RESTORE: '1' });
    // Measured here: 88–103 MB with V8's growth (and opted out, and restored), 37–44 MB limited.
    expect(limited).toBeLessThan(v8Default * 0.7);
    expect(optedOut).toBeGreaterThan(limited * 1.4);
    expect(restored).toBeGreaterThan(limited * 1.4);
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
