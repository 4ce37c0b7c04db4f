import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadEnv, openDatabase, projectRoot, type BronzeDatabase, type Source } from '@bronze/core';
import { sources } from '../sources.js';

export interface ParsedFlags {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  values: Record<string, any>;
  positionals: string[];
}

export function parseFlags(argv: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedFlags {
  try {
    return parseArgs({ args: argv, options: { ...options, verbose: { type: 'boolean', short: 'v' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError((err as Error).message.split('\n')[0]);
  }
}

export function findSource(name: string | undefined): Source {
  const known = Object.keys(sources).join(', ');
  if (!name) throw new ConfigError(`name a source (${known})`);
  const s = sources[name] ?? Object.values(sources).find((x) => x.name === name.replace(/-/g, '_'));
  if (!s) throw new ConfigError(`unknown source '${name}' (known: ${known})`);
  return s;
}

/** Loads .env, opens the configured database, runs fn, closes it. */
export async function withDatabase<T>(fn: (db: BronzeDatabase) => Promise<T>): Promise<T> {
  loadEnv(projectRoot());
  const db = await openDatabase();
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  const cells = rows.map((r) => columns.map((c) => (r[c] === null || r[c] === undefined ? '' : r[c] instanceof Date ? (r[c] as Date).toISOString().replace(/\.\d+Z$/, 'Z') : String(r[c]))));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
