import { resolve } from 'node:path';
import { ConfigError, ExitCode, exportDatabase, migrate, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { archiveProgress } from './db-progress.js';
import { parseFlags, withDatabase } from './shared.js';

/** `bronze db export PATH`: the archive format is described in docs/operations-archive.md. */
export async function dbExportCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { positionals } = parseFlags(argv, {});
  if (positionals.length !== 1) throw new ConfigError('usage: bronze db export PATH   (PATH: a new directory)');
  const dir = resolve(settings.invocationDir, positionals[0]);
  return withDatabase(settings, async (db) => {
    await db.withSession((s) => migrate(s));
    const m = await exportDatabase(db, dir, archiveProgress(io, 'exporting'));
    const rows = m.tables.reduce((n, t) => n + t.rows, 0);
    io.out(`exported ${db.location} to ${dir}: ${m.tables.length} tables, ${rows} rows (schema ${m.migrations.at(-1)?.name ?? 'empty'})`);
    return ExitCode.ok;
  });
}
