import type { ParseArgsConfig } from 'node:util';
import { ConfigError, JsonText, openDatabase, tableName, type BronzeDatabase, type Settings, type Source } from '@bronze/core';
import { sources } from '../sources.js';
import { parseCommandArgs } from './flag-errors.js';

export interface ParsedFlags {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  values: Record<string, any>;
  positionals: string[];
}

export function parseFlags(argv: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedFlags {
  return parseCommandArgs({ args: argv, options: { ...options, verbose: { type: 'boolean', short: 'v' } }, allowPositionals: true, strict: true });
}

export function findSource(name: string | undefined): Source {
  const known = Object.keys(sources).join(', ');
  if (!name) throw new ConfigError(`name a source (${known})`);
  const s = sources[name] ?? Object.values(sources).find((x) => x.name === tableName(name));
  if (!s) throw new ConfigError(`unknown source '${name}' (known: ${known})`);
  return s;
}

/** Opens the settings' database, runs fn, closes it. */
export async function withDatabase<T>(settings: Settings, fn: (db: BronzeDatabase) => Promise<T>): Promise<T> {
  const db = await openDatabase(settings.database);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** One cell as text: NULL stays empty, dates in UTC, objects as JSON, bytes as \x hex. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof JsonText) return v.text;
  if (v instanceof Date) return v.toISOString().replace(/\.\d+Z$/, 'Z');
  if (v instanceof Uint8Array) return `\\x${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** Aligned columns under a header line and a rule. */
export function grid(header: string[], cells: string[][]): string {
  const widths = header.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  return grid(columns, rows.map((r) => columns.map((c) => cellText(r[c]))));
}
