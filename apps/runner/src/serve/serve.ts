import { ConfigError, createLogger, dataDirectory, openDatabase, type BronzeDatabase, type Logger, type Settings } from '@bronze/core';
import type { BronzeConfig } from '../config/load-config.js';
import { DatabaseHolder } from './database-holder.js';
import { createHealthCheck } from './health.js';
import { StreamCounts } from './health-status.js';
import { listen, type HttpEndpoints } from './http-server.js';
import { createMetrics, type Metrics } from './metrics.js';
import { attachOpsMetrics } from './ops-metrics.js';
import { Scheduler } from './scheduler.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 8000;

export interface ServeOptions {
  config: BronzeConfig;
  /** Serve /health and /metrics (default true; `bronze schedule` runs without). */
  http?: boolean;
  host?: string;
  port?: number;
  /** An open database to share (not closed on stop); default: open the configured one. */
  database?: BronzeDatabase;
  openDatabase?: () => Promise<BronzeDatabase>;
  /** The process's settings (root, environment, database choice), from loadSettings(). */
  settings: Settings;
  logger?: Logger;
  healthTimeoutMs?: number;
  /** Aborted during the start-up (a signal while the database opened): no run is started. */
  signal?: AbortSignal;
}

export interface ServeHandle {
  scheduler: Scheduler;
  metrics: Metrics;
  database: DatabaseHolder;
  http?: HttpEndpoints;
  health: ReturnType<typeof createHealthCheck>;
  /** Settles when the missed-run catch-up is done (at once with missedRuns: skip). */
  caughtUp: Promise<void>;
  /** Stops the clocks, lets runs in flight commit their batch and stop, closes everything. */
  stop(): Promise<void>;
}

/**
 * One long-running process: the scheduler plus the /health and /metrics endpoints, sharing
 * one database handle. A PGlite database that cannot be opened (another process holds it)
 * is fatal; an unreachable PostgreSQL is not: /health says 503 until it comes back.
 */
export async function startServe(o: ServeOptions): Promise<ServeHandle> {
  const { env, root } = o.settings;
  const logger = o.logger ?? createLogger({ level: o.settings.logLevel });
  const database = o.database ? DatabaseHolder.of(o.database) : new DatabaseHolder(o.openDatabase ?? (() => openDatabase(o.settings.database)));
  try {
    logger.debug(`opening the database (${o.settings.database.engine})`);
    await database.get();
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (!o.database && !o.openDatabase && o.settings.database.engine === 'pglite') throw err; // embedded database: nothing to wait for
    logger.error(`database unreachable at start, will retry: ${database.lastError}`);
  }
  const metrics = createMetrics();
  const counts = new StreamCounts();
  const opened = database.current();
  if (opened) void counts.refresh(opened);
  const scheduler = new Scheduler({ config: o.config, database, metrics, logger, env, root, counts });
  attachOpsMetrics(metrics, { database, scheduler, dataDir: dataDirectory(o.settings), logger });
  const health = createHealthCheck({ database, counts, scheduler, metrics, dataDir: dataDirectory(o.settings), timeoutMs: o.healthTimeoutMs });
  let http: HttpEndpoints | undefined;
  try {
    if (o.http !== false) {
      http = await listen({ host: o.host ?? o.config.serve.host ?? DEFAULT_HOST, port: o.port ?? o.config.serve.port ?? DEFAULT_PORT, health, metrics, logger });
    }
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
  // A stop asked for while the database opened must not first start catch-up runs, only to record them interrupted.
  const caughtUp = o.signal?.aborted ? Promise.resolve() : scheduler.start().catch((err) => {
    logger.error(`catch-up: ${(err as Error).message}`);
  });
  return {
    scheduler,
    metrics,
    database,
    http,
    health,
    caughtUp,
    async stop() {
      const runsStopped = scheduler.stop(); // aborts the runs in flight at once
      await http?.close();
      await runsStopped;
      await database.close();
    },
  };
}
