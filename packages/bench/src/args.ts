import { parseArgs } from 'node:util';

export interface BenchArgs {
  records: number;
  json?: string;
  engine: 'postgres' | 'pglite';
  databaseUrl?: string;
  keep: boolean;
  dir?: string;
}

const USAGE = `pnpm bench [--records N] [--json PATH] [--engine postgres|pglite] [--dir DIR] [--keep]
  --records N   <Record> elements in the generated export (default 1000000)
  --json PATH   also write the figures as JSON
  --engine      postgres (DATABASE_URL, the default when set) or pglite (embedded)
  --dir DIR     where the export files and databases go (default a temp dir)
  --keep        keep the files and the benchmark database afterwards`;

export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv): BenchArgs {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: {
      records: { type: 'string' },
      json: { type: 'string' },
      engine: { type: 'string' },
      dir: { type: 'string' },
      keep: { type: 'boolean' },
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
  return { records, json: values.json, engine, databaseUrl, keep: Boolean(values.keep), dir: values.dir };
}
