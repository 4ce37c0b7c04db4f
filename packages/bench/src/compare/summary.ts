/** One ingest of an alternated comparison (`pnpm bench --compare NAME=VALUE`). */
export interface CompareRun {
  pair: number;
  /** `baseline`: NAME unset; `variant`: NAME=VALUE. */
  side: 'baseline' | 'variant';
  seconds: number;
  /** CPU seconds of the ingest process during the ingest. */
  processCpu: number;
  /** CPU seconds of the PostgreSQL server meanwhile (undefined: PGlite, or a server /proc does not show). */
  serverCpu?: number;
  peakRssMb: number;
  inserted: number;
}

export interface CompareSide {
  seconds: number[];
  medianSeconds: number;
  medianProcessCpu: number;
  medianServerCpu?: number;
  peakRssMb: number;
}

export interface CompareSummary {
  baseline: CompareSide;
  variant: CompareSide;
  /** variant − baseline seconds within each pair, in pair order. */
  differences: number[];
  medianDifference: number;
  /** Pairs in which the variant was faster. */
  variantFaster: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Each side's medians and the pairs' differences. The machine's speed drifts by the minute
 * (one unchanged import took 46.6–62.2 s within 12 minutes), so the pairs, run back to back,
 * are the comparison; the medians of each side only frame it.
 */
export function summarizeComparison(runs: CompareRun[]): CompareSummary {
  const counts = new Set(runs.map((r) => r.inserted));
  // Both sides import the same file into an empty database: a difference is a bug, not a speed.
  if (counts.size > 1) throw new Error(`the runs stored different numbers of rows (${[...counts].join(', ')}): the comparison is void`);
  const side = (name: CompareRun['side']): CompareSide => {
    const mine = runs.filter((r) => r.side === name);
    const server = mine.map((r) => r.serverCpu).filter((x): x is number => x !== undefined);
    return {
      seconds: mine.map((r) => r.seconds),
      medianSeconds: median(mine.map((r) => r.seconds)),
      medianProcessCpu: median(mine.map((r) => r.processCpu)),
      ...(server.length === mine.length && server.length ? { medianServerCpu: median(server) } : {}),
      peakRssMb: Math.max(...mine.map((r) => r.peakRssMb)),
    };
  };
  const pairs = [...new Set(runs.map((r) => r.pair))].sort((a, b) => a - b);
  const differences = pairs.map((p) => {
    const of = (s: CompareRun['side']) => runs.find((r) => r.pair === p && r.side === s);
    const [b, v] = [of('baseline'), of('variant')];
    if (!b || !v) throw new Error(`pair ${p} lacks its ${b ? 'variant' : 'baseline'} run`);
    return v.seconds - b.seconds;
  });
  return {
    baseline: side('baseline'),
    variant: side('variant'),
    differences,
    medianDifference: median(differences),
    variantFaster: differences.filter((d) => d < 0).length,
  };
}

/** The report: every run, then each side and the pairs' differences. */
export function formatComparison(setting: string, runs: CompareRun[], s: CompareSummary): string {
  const f1 = (x: number | undefined) => (x === undefined ? '–' : x.toFixed(1));
  const lines = [
    `| pair | ${setting} | ingest s | process CPU s | server CPU s | peak RSS MB |`,
    '|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.pair} | ${r.side === 'variant' ? 'set' : 'unset'} | ${f1(r.seconds)} | ${f1(r.processCpu)} | ${f1(r.serverCpu)} | ${r.peakRssMb.toFixed(0)} |`),
    '',
    `unset: median ${f1(s.baseline.medianSeconds)} s (process CPU ${f1(s.baseline.medianProcessCpu)} s, server CPU ${f1(s.baseline.medianServerCpu)} s, peak RSS ${s.baseline.peakRssMb.toFixed(0)} MB)`,
    `set:   median ${f1(s.variant.medianSeconds)} s (process CPU ${f1(s.variant.medianProcessCpu)} s, server CPU ${f1(s.variant.medianServerCpu)} s, peak RSS ${s.variant.peakRssMb.toFixed(0)} MB)`,
    `set − unset within each pair: ${s.differences.map((d) => `${d > 0 ? '+' : ''}${d.toFixed(1)}`).join(', ')} s (median ${s.medianDifference > 0 ? '+' : ''}${s.medianDifference.toFixed(1)} s); set faster in ${s.variantFaster} of ${s.differences.length} pairs`,
  ];
  return lines.join('\n');
}
