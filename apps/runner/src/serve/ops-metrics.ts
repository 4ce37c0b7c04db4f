import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { collectOpsStats, errorMessage, type Logger, type OpsStats } from '@bronze/core';
import type { DatabaseHolder } from './database-holder.js';
import type { Metrics } from './metrics.js';
import type { Scheduler } from './scheduler.js';

/** How long a scrape waits for fresh database figures before answering with the last ones. */
const SCRAPE_WAIT_MS = 2000;

/**
 * Refreshes the ops gauges when /metrics is scraped. A collection that takes longer (the
 * embedded database is busy with a run) finishes in the background and the scrape gets
 * the previous values; `bronze_ops_metrics_collected_timestamp_seconds` says how old they are.
 */
export function attachOpsMetrics(metrics: Metrics, deps: { database: DatabaseHolder; scheduler: Scheduler; dataDir: string; logger: Logger }): void {
  let pending: Promise<void> | undefined;
  const refresh = async () => {
    for (const s of deps.scheduler.states()) if (s.intervalSeconds) metrics.scheduleInterval.set({ source: s.source }, s.intervalSeconds);
    await dataDirectoryFigures(metrics, deps.dataDir);
    const db = deps.database.current();
    if (!db) return;
    applyOpsStats(metrics, await db.withSession((s) => collectOpsStats(s)));
  };
  const collect = async () => {
    pending ??= refresh()
      .catch((err) => {
        deps.logger.warn(`metrics: could not read the database figures: ${errorMessage(err)}`);
      })
      .finally(() => {
        pending = undefined;
      });
    await Promise.race([pending, new Promise((r) => setTimeout(r, SCRAPE_WAIT_MS).unref())]);
  };
  // prom-client reads the metrics of a scrape concurrently: each of ours waits for the one refresh.
  for (const gauge of [metrics.lastSuccess, ...OPS_GAUGES.map((k) => metrics[k])]) (gauge as unknown as { collect?: () => Promise<void> }).collect = collect;
}

const OPS_GAUGES = [
  'opsCollected', 'scheduleInterval', 'consecutiveFailures', 'sourceIngested', 'sourceInvalid', 'sourceWarning', 'rateLimitRemaining',
  'rateLimitLimit', 'rateLimitReset', 'rateLimitObserved', 'tableBytes', 'databaseBytes', 'oldestRunning', 'dataDirAvailable', 'dataDirSize',
] as const;

const label = (source: string) => source.replace(/_/g, '-');

export function applyOpsStats(metrics: Metrics, stats: OpsStats): void {
  for (const s of stats.sources) {
    const source = label(s.source);
    if (s.lastSuccessAt) metrics.lastSuccess.set({ source }, s.lastSuccessAt.getTime() / 1000);
    metrics.consecutiveFailures.set({ source }, s.consecutiveFailures);
    metrics.sourceIngested.set({ source }, s.recordsIngested);
    metrics.sourceInvalid.set({ source }, s.recordsInvalid);
    metrics.sourceWarning.set({ source }, s.recordsWarning);
    if (s.rateLimit) {
      if (s.rateLimit.remaining !== undefined) metrics.rateLimitRemaining.set({ source }, s.rateLimit.remaining);
      if (s.rateLimit.limit !== undefined) metrics.rateLimitLimit.set({ source }, s.rateLimit.limit);
      if (s.rateLimit.resetSeconds !== undefined) metrics.rateLimitReset.set({ source }, s.rateLimit.resetSeconds);
      metrics.rateLimitObserved.set({ source }, s.rateLimit.observedAt.getTime() / 1000);
    }
  }
  metrics.tableBytes.reset();
  for (const t of stats.tableBytes) metrics.tableBytes.set({ table: t.table }, t.bytes);
  metrics.databaseBytes.set(stats.databaseBytes);
  metrics.oldestRunning.set(stats.oldestRunningSeconds ?? 0);
  metrics.opsCollected.set(Date.now() / 1000);
}

async function dataDirectoryFigures(metrics: Metrics, path: string): Promise<void> {
  // The directory may not exist yet: its nearest existing parent is on the same file system.
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      const fs = await statfs(dir);
      metrics.dataDirAvailable.set(fs.bavail * fs.bsize);
      metrics.dataDirSize.set(fs.blocks * fs.bsize);
      return;
    } catch {
      if (dirname(dir) === dir) return;
    }
  }
}
