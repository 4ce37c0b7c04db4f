import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The reads a silver layer runs against bronze: the example queries of sql/queries/ (see
 * sql/README.md), read at run time, each with a parameter generator. The containment
 * query runs twice: a common type (35% of the records) and a rare one (1%).
 */
export interface BenchQuery {
  name: string;
  what: string;
  /** The file's text: one statement with $1, $2… parameters. */
  sql: string;
  params(rand: () => number, ctx: QueryContext): unknown[];
}

export interface QueryContext {
  months: string[];
  /** The latest ingested_at in the data. */
  lastIngested: Date;
  monthRows: number;
}

export const QUERY_DIR = fileURLToPath(new URL('../../../../sql/queries/', import.meta.url));
const file = (name: string) => readFileSync(join(QUERY_DIR, name), 'utf8');
const pick = <T>(rand: () => number, xs: T[]) => xs[Math.floor(rand() * xs.length)];
const monthEnd = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)), 1)).toISOString();
const plusMonths = (m: string, k: number) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 1 + k, 1)).toISOString();
const quarter = (rand: () => number, c: QueryContext) => {
  const m = pick(rand, c.months.slice(0, -2));
  return [`${m}T00:00:00Z`, plusMonths(m, 3)];
};

export function benchQueries(): BenchQuery[] {
  return [
    {
      name: 'latest_month',
      what: 'latest version of every record of a stream (apple_health records) for one month',
      sql: file('latest-of-month.sql'),
      params: (rand, c) => {
        const m = pick(rand, c.months);
        return [`${m}T00:00:00Z`, monthEnd(m)];
      },
    },
    {
      name: 'containment_quarter',
      what: `raw_data @> '{"type": "HKQuantityTypeIdentifierHeartRate"}' over a quarter (35% of the records)`,
      sql: file('containment.sql'),
      params: (rand, c) => [...quarter(rand, c), '{"type": "HKQuantityTypeIdentifierHeartRate"}'],
    },
    {
      name: 'containment_rare_quarter',
      what: `raw_data @> '{"type": "HKQuantityTypeIdentifierBodyMass"}' over a quarter (1% of the records)`,
      sql: file('containment.sql'),
      params: (rand, c) => [...quarter(rand, c), '{"type": "HKQuantityTypeIdentifierBodyMass"}'],
    },
    {
      name: 'ingested_since',
      what: 'rows ingested since a timestamp (an incremental silver load: the last 1–7 days)',
      sql: file('ingested-since.sql'),
      params: (rand, c) => [new Date(c.lastIngested.getTime() - (1 + rand() * 6) * 86_400_000).toISOString()],
    },
    {
      name: 'counts_per_day_year',
      what: 'row counts per day and stream for one year',
      sql: file('counts-per-day.sql'),
      params: (rand, c) => {
        const years = [...new Set(c.months.map((m) => m.slice(0, 4)))];
        const y = pick(rand, years);
        return [`${y}-01-01T00:00:00Z`, `${Number(y) + 1}-01-01T00:00:00Z`];
      },
    },
    {
      name: 'record_history',
      what: "one record's version history",
      sql: file('history.sql'),
      params: (rand, c) => [`${pick(rand, c.months)}:${50 * (1 + Math.floor(rand() * Math.max(1, c.monthRows / 50 - 1)))}`],
    },
  ];
}
