import { resolve } from 'node:path';
import { ConfigError, ExitCode, importArchive, readManifest, type ImportResult, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { archiveProgress } from './db-progress.js';
import { parseFlags, withDatabase } from './shared.js';

export async function dbImportCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { positionals, values } = parseFlags(argv, { merge: { type: 'boolean' } });
  if (positionals.length !== 1) throw new ConfigError('usage: bronze db import PATH [--merge]');
  const dir = resolve(settings.invocationDir, positionals[0]);
  // Checked before the database is opened: a refused archive must not leave a new, empty
  // embedded data folder behind (docs/operations-archive.md: "before anything is touched").
  readManifest(dir);
  return withDatabase(settings, async (db) => {
    const r = await importArchive(db, dir, { merge: Boolean(values.merge), onProgress: archiveProgress(io, 'importing') });
    io.out(`imported ${dir} into ${db.location}: ${importSummary(r)}`);
    return ExitCode.ok;
  });
}

export function importSummary(r: ImportResult): string {
  const rows = r.tables.reduce((n, t) => n + t.rows, 0);
  const added = r.tables.reduce((n, t) => n + t.added, 0);
  return `${r.tables.length} tables, ${rows} rows in the archive, ${added} added, verified (row counts and checksums)`;
}
