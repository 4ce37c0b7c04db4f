import type { ParseArgsConfig } from 'node:util';
import { parseCommandArgs } from './flag-errors.js';
import { ConfigError, cliName, type IngestOptions, type Source } from '@bronze/core';

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
  /** Source names (the words before the first --file). */
  sources: string[];
  /** Paths as typed (relative to where the command was typed). */
  files: string[];
  ingest: Omit<IngestOptions, 'logger' | 'signal' | 'env' | 'root' | 'onProgress' | 'files'>;
  all: boolean;
  json: boolean;
  verbose: boolean;
  help: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(flag: string, v: string | undefined): Date | undefined {
  if (v === undefined) return undefined;
  const d = new Date(DAY.test(v) ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(d.getTime())) throw new ConfigError(`--${flag} ${JSON.stringify(v)} is not a date (use YYYY-MM-DD or an ISO 8601 instant)`);
  return d;
}

/** `--since D --until D` selects nothing: say why, and what to type for one day. */
function checkRange(since: Date | undefined, until: Date | undefined, untilText: string | undefined): void {
  if (!since || !until || since < until) return;
  const nextDay = new Date(until.getTime() + 86_400_000).toISOString().slice(0, 10);
  const hint = untilText && DAY.test(untilText) && since.getTime() === until.getTime() ? `; for the single day ${untilText} use --until ${nextDay}` : '';
  throw new ConfigError(`--until is exclusive (records before that instant) and must be after --since, so this range is empty${hint}`);
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Parses `ingest` flags plus the flags the given sources declare; unknown flags are usage
 * errors. Every word after `--file` is a path, so `--file a.fit b.fit` and a shell glob
 * (`--file exports/*.fit`) import every file; source names come before the first --file.
 */
export function parseIngestArgs(argv: string[], sources: Source[]): ParsedIngestArgs {
  const extra: NonNullable<ParseArgsConfig['options']> = {};
  for (const s of sources) {
    for (const [name, o] of Object.entries(s.cliOptions ?? {})) extra[name] = { type: o.type, multiple: o.multiple ?? false };
  }
  // pnpm passes the `--` of `pnpm --filter x ingest -- --file …` through: it ends nothing here.
  const args = argv.filter((a) => a !== '--');
  const parsed = parseCommandArgs({ args, options: { ...INGEST_FLAGS, ...extra }, allowPositionals: true, strict: true, tokens: true });
  const names: string[] = [];
  const files: string[] = [];
  let afterFile = false;
  for (const t of parsed.tokens) {
    if (t.kind === 'option' && t.name === 'file') {
      afterFile = true;
      files.push(t.value!);
    } else if (t.kind === 'positional') (afterFile ? files : names).push(t.value);
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
  checkRange(since, until, v.until as string | undefined);
  return {
    sources: names,
    files,
    all: Boolean(v.all),
    json: Boolean(v.json),
    verbose: Boolean(v.verbose),
    help: Boolean(v.help),
    ingest: {
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

export function ingestUsage(sources: Source[]): string {
  const lines = [
    'usage: bronze ingest <source…|--all> [flags]',
    '       pnpm --filter source-<name> ingest -- [flags]   (the same command for one source)',
    '  --all                every API source that is configured; the others are listed as skipped',
    '  -f, --file PATH…     import export files: every word after --file is a path (a shell glob works)',
    '  --streams a,b        only these streams',
    '  --since DATE         read records from this date on, inclusive (API sources)',
    '  --until DATE         read records before this date: exclusive, so one day is',
    '                       --since 2024-03-01 --until 2024-03-02 (API sources)',
    '  --full-refresh       ignore saved cursors (stored records still insert nothing)',
    '  --dry-run            read and validate, write nothing; with a database, say which files',
    '                       would be skipped and which records are new (never creates one)',
    '  --force              re-read files already imported with the same sha256',
    '  --batch-size N       records per transaction (default 5000)',
    '  --json               print the summary as JSON',
    '  -v, --verbose        debug logs and stack traces',
    'DATE: YYYY-MM-DD (midnight UTC) or an ISO 8601 instant.',
  ];
  for (const s of sources) {
    for (const [name, o] of Object.entries(s.cliOptions ?? {})) {
      const flag = `  --${name}${o.type === 'string' ? ' VALUE' : ''}`;
      lines.push(`${flag.length < 23 ? flag.padEnd(23) : `${flag} `}${o.description} (${cliName(s)})`);
    }
  }
  return lines.join('\n');
}
