import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of one `bronze serve` process. Labels carry source, stream and
 * status names only: never endpoints with query strings, URLs or anything from .env.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bronze_process_' });
  const registers = [registry];
  return {
    registry,
    recordsIngested: new Counter({
      name: 'bronze_records_ingested_total',
      help: 'Rows written to bronze_<source> (new records and new versions), by stream and validation status',
      labelNames: ['source', 'stream', 'validation_status'] as const,
      registers,
    }),
    recordsSeen: new Counter({
      name: 'bronze_records_seen_total',
      help: 'Records read by runs, by what became of them (inserted, new_version, unchanged, invalid, warning)',
      labelNames: ['source', 'outcome'] as const,
      registers,
    }),
    runs: new Counter({
      name: 'bronze_runs_total',
      help: 'Scheduled runs by result: succeeded, failed, skipped_locked (another process holds the source), skipped_busy (previous run still going)',
      labelNames: ['source', 'result'] as const,
      registers,
    }),
    failures: new Counter({ name: 'bronze_run_failures_total', help: 'Runs that failed or could not start', labelNames: ['source'] as const, registers }),
    runDuration: new Histogram({
      name: 'bronze_run_duration_seconds',
      help: 'Wall time of runs',
      labelNames: ['source', 'status'] as const,
      buckets: [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    }),
    lastSuccess: new Gauge({ name: 'bronze_last_success_timestamp_seconds', help: 'Unix time of the last succeeded run', labelNames: ['source'] as const, registers }),
    running: new Gauge({ name: 'bronze_run_in_progress', help: '1 while a run of the source is going', labelNames: ['source'] as const, registers }),
    apiRequests: new Counter({
      name: 'bronze_api_requests_total',
      help: 'HTTP responses from source APIs by status (0: network error or timeout), retries included',
      labelNames: ['source', 'status'] as const,
      registers,
    }),
    rateLimitWaits: new Counter({
      name: 'bronze_rate_limit_waits_total',
      help: 'Waits of API requests: kind=retry before retrying (429, Retry-After, 5xx, network), kind=budget held back by the source\'s request budget',
      labelNames: ['source', 'kind'] as const,
      registers,
    }),
    rateLimitWaitSeconds: new Counter({ name: 'bronze_rate_limit_wait_seconds_total', help: 'Time spent in those waits', labelNames: ['source', 'kind'] as const, registers }),
    databaseUp: new Gauge({ name: 'bronze_database_up', help: '1 when the last database check succeeded', registers }),
    streamRows: new Gauge({ name: 'bronze_stream_rows', help: 'Rows stored per source and stream (as of the last /health or run)', labelNames: ['source', 'stream'] as const, registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
