import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Source } from '../contract.js';
import { ConfigError } from '../errors.js';
import type { IngestOptions } from '../ingest/run-source.js';

export const INGEST_FLAGS = {
  file: { type: 'string', multiple: true, short: 'f' },
  streams: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'full-refresh': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
  verbose: { type: 'boolean', short: 'v' },
  'batch-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

export interface ParsedIngestArgs {
  positionals: string[];
  ingest: Omit<IngestOptions, 'logger' | 'signal' | 'env' | 'onProgress'>;
  all: boolean;
  json: boolean;
  verbose: boolean;
  help: boolean;
}

function parseDate(flag: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw new ConfigError(`--${flag} ${JSON.stringify(v)} is not a date (use YYYY-MM-DD or an ISO 8601 instant)`);
  return d;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Parses `ingest` flags plus the flags the given sources declare; unknown flags are usage errors. */
export function parseIngestArgs(argv: string[], sources: Source[]): ParsedIngestArgs {
  const extra: NonNullable<ParseArgsConfig['options']> = {};
  for (const s of sources) {
    for (const [name, o] of Object.entries(s.cliOptions ?? {})) extra[name] = { type: o.type, multiple: o.multiple ?? false };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...INGEST_FLAGS, ...extra }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0]);
  }
  const v = parsed.values as Record<string, unknown>;
  const options: Record<string, unknown> = {};
  for (const name of Object.keys(extra)) if (v[name] !== undefined) options[camel(name)] = v[name];
  let batchSize: number | undefined;
  if (v['batch-size'] !== undefined) {
    batchSize = Number(v['batch-size']);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new ConfigError('--batch-size must be a positive whole number');
  }
  const since = parseDate('since', v.since as string | undefined);
  const until = parseDate('until', v.until as string | undefined);
  if (since && until && since >= until) throw new ConfigError('--since must be before --until');
  return {
    positionals: parsed.positionals,
    all: Boolean(v.all),
    json: Boolean(v.json),
    verbose: Boolean(v.verbose),
    help: Boolean(v.help),
    ingest: {
      files: (v.file as string[] | undefined) ?? undefined,
      streams: typeof v.streams === 'string' ? v.streams.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
      since,
      until,
      fullRefresh: Boolean(v['full-refresh']),
      dryRun: Boolean(v['dry-run']),
      force: Boolean(v.force),
      options,
      batchSize,
    },
  };
}

export function ingestUsage(sources: Source[], prog = 'bronze ingest <source…|--all>'): string {
  const lines = [
    `usage: ${prog} [flags]`,
    '  -f, --file PATH      import an export file (repeatable)',
    '  --streams a,b        only these streams',
    '  --since DATE         read records from this date (API sources)',
    '  --until DATE         read records up to this date (API sources)',
    '  --full-refresh       ignore saved cursors (stored records still insert nothing)',
    '  --dry-run            read and validate, write nothing',
    '  --force              re-read files already imported with the same sha256',
    '  --batch-size N       records per transaction (default 5000)',
    '  --json               print the summary as JSON',
    '  -v, --verbose        debug logs and stack traces',
  ];
  for (const s of sources) {
    for (const [name, o] of Object.entries(s.cliOptions ?? {})) {
      lines.push(`  --${name}${o.type === 'string' ? ' VALUE' : ''}`.padEnd(23) + `${o.description} (${s.name})`);
    }
  }
  return lines.join('\n');
}
