/**
 * The queries a silver layer runs against bronze, each with a parameter generator.
 * Each result is consumed on the server (count and bytes of the rows' JSON text), as a
 * silver `INSERT … SELECT` would: the transfer to a client is not what is measured.
 */
export interface BenchQuery {
  name: string;
  what: string;
  sql: string;
  params(rand: () => number, ctx: QueryContext): unknown[];
}

export interface QueryContext {
  months: string[];
  /** The latest ingested_at in the data. */
  lastIngested: Date;
  monthRows: number;
}

const consume = (inner: string) => `SELECT count(*) AS n, coalesce(sum(octet_length(q.raw_data::text)), 0) AS bytes FROM (${inner}) q`;
const pick = <T>(rand: () => number, xs: T[]) => xs[Math.floor(rand() * xs.length)];
const monthEnd = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString();
const plusMonths = (m: string, k: number) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1 + k, 1)).toISOString();

export const QUERIES: BenchQuery[] = [
  {
    name: 'latest_month',
    what: 'latest version of every record of a stream (apple_health records) for one month',
    sql: consume(`SELECT DISTINCT ON (raw_id) raw_id, version, raw_data FROM bronze_apple_health
      WHERE stream = 'records' AND source_timestamp >= $1 AND source_timestamp < $2 ORDER BY raw_id, version DESC`),
    params: (rand, c) => {
      const m = pick(rand, c.months);
      return [`${m}T00:00:00Z`, monthEnd(m)];
    },
  },
  {
    name: 'containment_quarter',
    what: `raw_data @> '{"type": "HKQuantityTypeIdentifierHeartRate"}' over a quarter (35% of the records)`,
    sql: consume(`SELECT raw_data FROM bronze_apple_health
      WHERE raw_data @> '{"type": "HKQuantityTypeIdentifierHeartRate"}' AND source_timestamp >= $1 AND source_timestamp < $2`),
    params: (rand, c) => {
      const m = pick(rand, c.months.slice(0, -2));
      return [`${m}T00:00:00Z`, plusMonths(m, 3)];
    },
  },
  {
    name: 'containment_rare_quarter',
    what: `raw_data @> '{"type": "HKQuantityTypeIdentifierBodyMass"}' over a quarter (1% of the records)`,
    sql: consume(`SELECT raw_data FROM bronze_apple_health
      WHERE raw_data @> '{"type": "HKQuantityTypeIdentifierBodyMass"}' AND source_timestamp >= $1 AND source_timestamp < $2`),
    params: (rand, c) => {
      const m = pick(rand, c.months.slice(0, -2));
      return [`${m}T00:00:00Z`, plusMonths(m, 3)];
    },
  },
  {
    name: 'ingested_since',
    what: 'rows ingested since a timestamp (an incremental silver load: the last 1–7 days)',
    sql: consume(`SELECT raw_data FROM bronze_apple_health WHERE ingested_at > $1`),
    params: (rand, c) => [new Date(c.lastIngested.getTime() - (1 + rand() * 6) * 86_400_000).toISOString()],
  },
  {
    name: 'counts_per_day_year',
    what: 'row counts per day and stream for one year',
    sql: `SELECT count(*) AS n FROM (SELECT partition_key, stream, count(*) FROM bronze_apple_health
      WHERE source_timestamp >= $1 AND source_timestamp < $2 GROUP BY partition_key, stream) q`,
    params: (rand, c) => {
      const years = [...new Set(c.months.map((m) => m.slice(0, 4)))];
      const y = pick(rand, years);
      return [`${y}-01-01T00:00:00Z`, `${Number(y) + 1}-01-01T00:00:00Z`];
    },
  },
  {
    name: 'record_history',
    what: "one record's version history",
    sql: consume(`SELECT version, record_hash, ingested_at, raw_data FROM bronze_apple_health
      WHERE stream = 'records' AND raw_id = $1 ORDER BY version`),
    params: (rand, c) => [`${pick(rand, c.months)}:${50 * (1 + Math.floor(rand() * Math.max(1, c.monthRows / 50 - 1)))}`],
  },
];
