import { parseArgs } from 'node:util';

export interface BenchArgs {
  records: number;
  json?: string;
  engine: 'postgres' | 'pglite';
  databaseUrl?: string;
  keep: boolean;
  dir?: string;
  /** The query benchmark instead of the ingest one. */
  queries: boolean;
  /** Rows the query benchmark loads. */
  rows: number;
  queryDb?: string;
  iterations: number;
  /** Query benchmark: each client sets max_parallel_workers_per_gather = 0. */
  serial: boolean;
  /** The start-up benchmark instead of the ingest one. */
  startup: boolean;
  /** Also ingest once through a throttled proxy (bytes per second towards PostgreSQL). */
  slowDb?: number;
  /** Which source's ingest to measure: apple-health (default) or google-takeout. */
  source: 'apple-health' | 'google-takeout';
  /** Whether --records was given (google-takeout: the number of locations instead of its default). */
  recordsGiven: boolean;
  /** Months the generated data spans: the ingest's export (default 36) or the query data (default 60). */
  months: number;
  /** The Apple Health ingest bench: how many times the comparisons run on fresh databases (the median is reported). */
  rounds: number;
  /** `--compare NAME=VALUE [--pairs N]`: alternated ingests with the variable unset and set (compare/run-compare.ts). */
  compare?: { name: string; value: string; pairs: number };
}

/** The ingest bench's export spans three years, the query data five (issue 15: at least five years). */
export const INGEST_MONTHS = 36;
export const QUERY_MONTHS = 60;

const USAGE = `pnpm bench [--records N] [--months N] [--rounds N] [--json PATH] [--engine postgres|pglite] [--dir DIR] [--keep] [--slow-db BYTES_PER_S]
pnpm bench --source google-takeout [--records LOCATIONS] [--json PATH] [--engine postgres|pglite] [--dir DIR] [--keep]
pnpm bench --queries [--rows N] [--months N] [--query-db NAME] [--iterations N] [--serial] [--json PATH]
pnpm bench --startup [--json PATH]
pnpm bench --compare NAME=VALUE [--pairs N] [--records N] [--months N] [--engine postgres|pglite] [--dir DIR] [--json PATH]
  --records N   <Record> elements in the generated export (default 1000000); google-takeout: locations (default 4500000, a ~1.6 GB Records.json)
  --months N    months the generated data spans (default 36 for the ingest, 60 for --queries; at least 3 there)
  --source S    apple-health (default) or google-takeout (a generated ≥ 2 GB Takeout zip, one end-to-end ingest)
  --rounds N    run the raw COPY, the ingest, the superset and its comparison N times, each on fresh
                databases, and report the median round (default 1; the machine's speed moves by the hour)
  --json PATH   also write the figures as JSON
  --engine      postgres (DATABASE_URL, the default when set) or pglite (embedded)
  --dir DIR     where the export files and databases go (default a temp dir)
  --keep        keep the files and the benchmark database afterwards
  --slow-db B   also ingest through a TCP proxy that passes B bytes/s to PostgreSQL (peak RSS with a slow database)
  --queries     the query benchmark (PostgreSQL): load --rows rows (default 10000000) over --months months, 10 clients
  --query-db N  the query benchmark's database (kept; reused when it holds the data)
  --iterations  runs of each query per client (default 5)
  --serial      each client sets max_parallel_workers_per_gather = 0 (no parallel plans; sql/README.md)
  --startup     start-up: bronze status on both engines, README command 1, a 100k-line manual import
  --compare V=X end-to-end ingests of the export with the environment variable V unset and V=X,
                alternated in back-to-back pairs, each on a fresh database (a lever's before/after)
  --pairs N     pairs of --compare (default 3)`;

export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv): BenchArgs {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      records: { type: 'string' },
      json: { type: 'string' },
      engine: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
      queries: { type: 'boolean' },
      rows: { type: 'string' },
      'query-db': { type: 'string' },
      iterations: { type: 'string' },
      serial: { type: 'boolean' },
      startup: { type: 'boolean' },
      'slow-db': { type: 'string' },
      source: { type: 'string' },
      months: { type: 'string' },
      rounds: { type: 'string' },
      compare: { type: 'string' },
      pairs: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const records = Number((values.records ?? '1000000').replace(/_/g, ''));
  if (!Number.isInteger(records) || records < 100) throw new Error(`--records must be an integer ≥ 100\n${USAGE}`);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  const engine = (values.engine ?? (databaseUrl ? 'postgres' : 'pglite')) as BenchArgs['engine'];
  if (engine !== 'postgres' && engine !== 'pglite') throw new Error(`--engine must be postgres or pglite\n${USAGE}`);
  if (engine === 'postgres' && !databaseUrl) throw new Error('--engine postgres needs DATABASE_URL (a server where the benchmark may create a database)');
  const count = (v: string | undefined, d: number, what: string) => {
    const x = Number((v ?? String(d)).replace(/_/g, ''));
    if (!Number.isInteger(x) || x < 1) throw new Error(`${what} must be a positive integer\n${USAGE}`);
    return x;
  };
  const source = (values.source ?? 'apple-health') as BenchArgs['source'];
  if (source !== 'apple-health' && source !== 'google-takeout') throw new Error(`--source must be apple-health or google-takeout\n${USAGE}`);
  const queries = Boolean(values.queries);
  const months = count(values.months, queries ? QUERY_MONTHS : INGEST_MONTHS, '--months');
  // The containment queries read a quarter that lies inside the data.
  if (queries && months < 3) throw new Error(`--months must be at least 3 with --queries\n${USAGE}`);
  if (values.months !== undefined && (values.startup || source === 'google-takeout')) throw new Error(`--months applies to the Apple Health ingest bench and --queries\n${USAGE}`);
  if (values.rounds !== undefined && (queries || values.startup || source === 'google-takeout')) throw new Error(`--rounds applies to the Apple Health ingest bench\n${USAGE}`);
  const compare = values.compare === undefined ? undefined : /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(values.compare);
  if (values.compare !== undefined && !compare) throw new Error(`--compare takes NAME=VALUE, an environment variable and the value to compare with it unset (BRONZE_BULK_MONTHS=off)\n${USAGE}`);
  if (compare && (queries || values.startup || source === 'google-takeout' || values.rounds !== undefined || values['slow-db'] !== undefined || values.keep)) {
    throw new Error(`--compare is a mode of its own: not with --queries, --startup, --source google-takeout, --rounds, --slow-db or --keep\n${USAGE}`);
  }
  if (values.pairs !== undefined && !compare) throw new Error(`--pairs applies to --compare\n${USAGE}`);
  if (queries && !databaseUrl) throw new Error('--queries needs DATABASE_URL (a PostgreSQL server where the benchmark may create a database)');
  return {
    records, json: values.json, engine: queries ? 'postgres' : engine, databaseUrl, keep: Boolean(values.keep), dir: values.dir,
    queries, rows: count(values.rows, 10_000_000, '--rows'), queryDb: values['query-db'], iterations: count(values.iterations, 5, '--iterations'), serial: Boolean(values.serial),
    startup: Boolean(values.startup), source, recordsGiven: values.records !== undefined, slowDb: values['slow-db'] ? count(values['slow-db'], 1, '--slow-db') : undefined, months,
    rounds: count(values.rounds, 1, '--rounds'),
    ...(compare ? { compare: { name: compare[1], value: compare[2], pairs: count(values.pairs, 3, '--pairs') } } : {}),
  };
}
