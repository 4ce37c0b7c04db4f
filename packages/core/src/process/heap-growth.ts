import { setFlagsFromString } from 'node:v8';

/** The growth bronze's CLI allows: the old generation may grow by half between full collections. */
export const INGEST_HEAP_GROWING_PERCENT = 50;

let applied: number | undefined;

/**
 * Makes V8 start a full collection once the old generation has grown by `percent` since the
 * last one, instead of V8's default of letting it grow up to 4× its live size on a machine
 * with memory to spare. An ingest promotes every row of a batch (a batch lives longer than a
 * young-generation cycle) and drops it a moment later, so its old generation is mostly
 * garbage: with the default, a 1M-record import peaked at ~260 MB of RSS for a live heap of
 * 36–50 MB; with 50%, ~150 MB and no slower (`pnpm bench`; figures in
 * packages/bench/README.md). V8 reads the flag at every collection, so setting it after
 * start-up takes effect. Process-wide, so the CLI calls it, not the library: a program that
 * embeds core's ingest() can call it too.
 */
export function limitHeapGrowth(percent = INGEST_HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent < 1 || percent > 1000) throw new RangeError(`limitHeapGrowth: percent must be an integer from 1 to 1000, got ${percent}`);
  if (applied === percent) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  applied = percent;
}

/**
 * The CLI's setting, from BRONZE_HEAP_GROWTH: unset, INGEST_HEAP_GROWING_PERCENT; `default`,
 * V8's own growth (faster by a few percent on some runs, ~100 MB more at 1M records); a
 * whole number, that percentage. Returns a warning for a value it cannot use (the default
 * applies then).
 */
export function applyHeapGrowthSetting(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.BRONZE_HEAP_GROWTH?.trim();
  if (value === 'default') return undefined;
  const percent = value ? Number(value) : INGEST_HEAP_GROWING_PERCENT;
  if (Number.isInteger(percent) && percent >= 1 && percent <= 1000) {
    limitHeapGrowth(percent);
    return undefined;
  }
  limitHeapGrowth();
  return `BRONZE_HEAP_GROWTH=${value}: not "default" nor a whole percentage from 1 to 1000; using ${INGEST_HEAP_GROWING_PERCENT}`;
}
