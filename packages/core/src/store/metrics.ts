import type { Session } from '../db/session.js';
import { listBronzeTables, quoteIdent } from '../archive/catalog.js';

export interface RateLimitSnapshot {
  remaining?: number;
  limit?: number;
  /** Seconds until the quota resets, as the API stated it when observed. */
  resetSeconds?: number;
  /** When the response carrying these headers was stored (ingested_at of its newest record). */
  observedAt: Date;
}

export interface SourceOpsStats {
  source: string;
  lastSuccessAt: Date | null;
  /** Failed or abandoned ingestions since the last one that succeeded. */
  consecutiveFailures: number;
  /** Rows written by all ingestions (bronze_runs counters), and how many of them were invalid / warnings. */
  recordsIngested: number;
  recordsInvalid: number;
  recordsWarning: number;
  rateLimit?: RateLimitSnapshot;
}

export interface OpsStats {
  sources: SourceOpsStats[];
  /** Bytes per table bronze owns, partitions and indexes included. */
  tableBytes: { table: string; bytes: number }[];
  databaseBytes: number;
  /** Age of the oldest run still `running`; null when none is. */
  oldestRunningSeconds: number | null;
}

/** The figures alerts need, from the meta tables and the catalog: cheap enough for every scrape. */
export async function collectOpsStats(s: Pick<Session, 'query'>): Promise<OpsStats> {
  const runs = await s.query<{ source: string; last_success: Date | null; failures: number; ingested: string; invalid: string; warning: string }>(
    `SELECT r.source, ok.last_success,
            (SELECT count(*)::int FROM bronze_runs f WHERE f.source = r.source AND f.action = 'ingest' AND f.status IN ('failed', 'abandoned')
               AND f.started_at > coalesce(ok.last_started, '-infinity')) AS failures,
            sum(r.records_inserted)::text AS ingested, sum(r.records_invalid)::text AS invalid, sum(r.records_warning)::text AS warning
       FROM bronze_runs r
       LEFT JOIN LATERAL (SELECT max(finished_at) AS last_success, max(started_at) AS last_started FROM bronze_runs o
                           WHERE o.source = r.source AND o.action = 'ingest' AND o.status = 'succeeded') ok ON true
      WHERE r.action = 'ingest'
      GROUP BY r.source, ok.last_success, ok.last_started ORDER BY r.source`,
  );
  const tables = await listBronzeTables(s as Session);
  const sources: SourceOpsStats[] = [];
  for (const r of runs) {
    const stats: SourceOpsStats = {
      source: r.source,
      lastSuccessAt: r.last_success ? new Date(r.last_success) : null,
      consecutiveFailures: r.failures,
      recordsIngested: Number(r.ingested),
      recordsInvalid: Number(r.invalid),
      recordsWarning: Number(r.warning),
    };
    if (tables.some((t) => t.kind === 'source' && t.source === r.source)) stats.rateLimit = await latestRateLimit(s, r.source, `bronze_${r.source}`);
    sources.push(stats);
  }
  const tableBytes: OpsStats['tableBytes'] = [];
  for (const t of tables) {
    const [{ bytes }] = await s.query<{ bytes: string }>(
      `SELECT coalesce((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree($1::regclass)), pg_total_relation_size($1::regclass))::text AS bytes`,
      [quoteIdent(t.name)],
    );
    tableBytes.push({ table: t.name, bytes: Number(bytes) });
  }
  const [{ db_bytes, oldest }] = await s.query<{ db_bytes: string; oldest: number | null }>(
    `SELECT pg_database_size(current_database())::text AS db_bytes,
            (SELECT extract(epoch FROM now() - min(started_at))::float8 FROM bronze_runs WHERE status = 'running') AS oldest`,
  );
  return { sources, tableBytes, databaseBytes: Number(db_bytes), oldestRunningSeconds: oldest === null ? null : Number(oldest) };
}

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' || typeof v === 'number' ? Number(String(v).split(',')[0].trim()) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * The rate-limit headers (api_rate_limit_info, as ctx.http captured them) of the newest
 * newest record of the source's last run that wrote rows: `*-remaining`, `*-limit`, `*-reset` or Toggl's
 * `x-toggl-quota-resets-in`. Only responses that yielded records are stored, so this is
 * the quota as of the last data-bearing response.
 */
async function latestRateLimit(s: Pick<Session, 'query'>, source: string, table: string): Promise<RateLimitSnapshot | undefined> {
  // Only the last run that wrote rows, and only when they came from an API: bounded work per scrape.
  const [run] = await s.query<{ id: string }>(
    `SELECT id FROM bronze_runs WHERE source = $1 AND action = 'ingest' AND records_inserted > 0 ORDER BY started_at DESC LIMIT 1`,
    [source],
  );
  if (!run) return undefined;
  const [api] = await s.query<{ api: boolean }>(`SELECT api_endpoint IS NOT NULL AS api FROM ${quoteIdent(table)} WHERE pipeline_run_id = $1 LIMIT 1`, [run.id]);
  if (!api?.api) return undefined;
  const [row] = await s.query<{ info: Record<string, string>; at: Date }>(
    `SELECT api_rate_limit_info AS info, ingested_at AS at FROM ${quoteIdent(table)}
      WHERE pipeline_run_id = $1 AND api_rate_limit_info IS NOT NULL ORDER BY ingested_at DESC, id DESC LIMIT 1`,
    [run.id],
  );
  if (!row) return undefined;
  const headers = Object.fromEntries(Object.entries(typeof row.info === 'string' ? JSON.parse(row.info) : row.info).map(([k, v]) => [k.toLowerCase(), v]));
  const pick = (re: RegExp) => num(Object.entries(headers).find(([k]) => re.test(k))?.[1]);
  const snap: RateLimitSnapshot = {
    remaining: pick(/(^|-)remaining$/),
    limit: pick(/(^|-)limit$/),
    resetSeconds: pick(/(^|-)(reset|resets-in)$/),
    observedAt: new Date(row.at),
  };
  // A reset given as a Unix time (GitHub style) becomes seconds from when it was observed.
  if (snap.resetSeconds !== undefined && snap.resetSeconds > 1e9) snap.resetSeconds = Math.max(0, snap.resetSeconds - snap.observedAt.getTime() / 1000);
  return snap.remaining === undefined && snap.limit === undefined ? undefined : snap;
}
