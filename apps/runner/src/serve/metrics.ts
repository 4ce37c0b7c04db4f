import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The Prometheus metrics of one `bronze serve` process. Labels carry source, stream and
 * status names only: never endpoints with query strings, URLs or anything from .env.
 */
export function createMetrics() {
  const registry = new Registry();
  // Node's default metrics are named process_* and nodejs_*: the prefix makes them bronze_process_*, bronze_nodejs_*.
  collectDefaultMetrics({ register: registry, prefix: 'bronze_' });
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
    ...createOpsGauges(registers),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * What the alert rules (configs/prometheus/alerts.yml) need, read from the database at
 * scrape time by serve/ops-metrics.ts. Labels: `source` (one per configured or stored
 * source) and `table` (two per source plus the meta tables): bounded by the sources.
 */
function createOpsGauges(registers: Registry[]) {
  const g = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers });
  return {
    opsCollected: g('bronze_ops_metrics_collected_timestamp_seconds', 'Unix time the database figures below were last read (they keep their last values while the database is busy or down)'),
    scheduleInterval: g('bronze_source_schedule_interval_seconds', 'Seconds between two scheduled runs of the source (from bronze.config.yaml)', ['source']),
    consecutiveFailures: g('bronze_source_consecutive_failures', 'Ingestions of the source that failed or were abandoned since its last success', ['source']),
    sourceIngested: g('bronze_source_records_ingested', 'Rows written by all ingestions of the source (bronze_runs counters; falls only after a prune or import)', ['source']),
    sourceInvalid: g('bronze_source_records_invalid', 'Of those, rows stored as invalid', ['source']),
    sourceWarning: g('bronze_source_records_warning', 'Of those, rows stored with a warning', ['source']),
    rateLimitRemaining: g('bronze_rate_limit_remaining', 'Requests left in the API quota, from the rate-limit headers of the last response that yielded records', ['source']),
    rateLimitLimit: g('bronze_rate_limit_limit', 'The API quota those headers stated', ['source']),
    rateLimitReset: g('bronze_rate_limit_reset_seconds', 'Seconds until the quota resets, as stated when observed', ['source']),
    rateLimitObserved: g('bronze_rate_limit_observed_timestamp_seconds', 'When those headers were stored', ['source']),
    tableBytes: g('bronze_table_bytes', 'Bytes of each table bronze owns, partitions and indexes included', ['table']),
    databaseBytes: g('bronze_database_bytes', 'Bytes of the whole database (pg_database_size)'),
    oldestRunning: g('bronze_oldest_running_run_age_seconds', 'Age of the oldest run still marked running (0: none); a dead process leaves one until the next run of its source'),
    dataDirAvailable: g('bronze_data_directory_available_bytes', 'Free bytes on the file system of the data directory (the embedded database, files to import)'),
    dataDirSize: g('bronze_data_directory_filesystem_bytes', 'Size of that file system'),
  };
}
