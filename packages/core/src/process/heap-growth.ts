import { setFlagsFromString } from 'node:v8';

/** The growth bronze's CLI allows: the old generation may grow by half between full collections. */
export const INGEST_HEAP_GROWING_PERCENT = 50;

let applied: number | undefined;

/**
 * Makes V8 start a full collection once the old generation has grown by `percent` since the
 * last one, instead of V8's default of letting it grow up to 4× its live size on a machine
 * with memory to spare. An ingest promotes every row of a batch (a batch lives longer than a
 * young-generation cycle) and drops it a moment later, so its old generation is mostly
 * garbage: a 1M-record import peaked at 263–270 MB of RSS with V8's growth for a live heap of
 * 25–40 MB, and at 184–186 MB with 50%, for about the same CPU (README, benchmark). V8 reads
 * the flag at every collection, so setting it after start-up takes effect (the test
 * heap-growth.test.ts fails otherwise). Process-wide, so the CLI calls it, not the library:
 * a program that embeds core's ingest() can call it too.
 */
export function limitHeapGrowth(percent = INGEST_HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent < 1 || percent > 1000) throw new RangeError(`limitHeapGrowth: percent must be an integer from 1 to 1000, got ${percent}`);
  if (applied === percent) return;
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  applied = percent;
}

/** V8's own growth again (the flag's default, 0, lets V8 choose). */
function restoreHeapGrowth(): void {
  if (applied === undefined) return;
  setFlagsFromString('--heap-growing-percent=0');
  applied = undefined;
}

/**
 * The CLI's setting, from BRONZE_HEAP_GROWTH: unset, INGEST_HEAP_GROWING_PERCENT; `default`,
 * V8's own growth (faster by a few percent on some runs, ~100 MB more at 1M records); a
 * whole number, that percentage. Returns a warning for a value it cannot use (the default
 * applies then).
 */
export function applyHeapGrowthSetting(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env.BRONZE_HEAP_GROWTH?.trim();
  if (value === 'default') {
    restoreHeapGrowth();
    return undefined;
  }
  const percent = value ? Number(value) : INGEST_HEAP_GROWING_PERCENT;
  if (Number.isInteger(percent) && percent >= 1 && percent <= 1000) {
    limitHeapGrowth(percent);
    return undefined;
  }
  limitHeapGrowth();
  return `BRONZE_HEAP_GROWTH=${value}: not "default" nor a whole percentage from 1 to 1000; using ${INGEST_HEAP_GROWING_PERCENT}`;
}
