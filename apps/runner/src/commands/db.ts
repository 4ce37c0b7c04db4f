import { ConfigError, ExitCode, migrate, type Settings } from '@bronze/core';
import type { CliIo, Command } from './io.js';
import { dbCopyCommand } from './db-copy.js';
import { dbExportCommand } from './db-export.js';
import { dbImportCommand } from './db-import.js';
import { dbPruneCommand } from './db-prune.js';
import { parseFlags, withDatabase } from './shared.js';

export const DB_USAGE = `usage: bronze db <migrate|export|import|copy|prune>
  db migrate                                  apply sql/ migrations (ingest does this too)
  db export PATH                              write an archive of everything bronze stores into the new directory PATH
  db import PATH [--merge]                    load an archive into an empty database (--merge: add to one that holds data)
  db copy --to postgres://… [--merge]         export this database and import it into that one, verified
  db prune --source S --before YYYY-MM-DD (--dry-run | --yes)
                                              drop S's month partitions that end before the date`;

const subcommands: Record<string, Command> = {
  migrate: dbMigrateCommand,
  export: dbExportCommand,
  import: dbImportCommand,
  copy: dbCopyCommand,
  prune: dbPruneCommand,
};

export async function dbCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    io.out(DB_USAGE);
    return ExitCode.ok;
  }
  const sub = name ? subcommands[name] : undefined;
  if (!sub) throw new ConfigError(`${name ? `unknown db command '${name}'` : 'name a db command'}\n${DB_USAGE}`);
  return sub(rest, io, settings);
}

async function dbMigrateCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  parseFlags(argv, {});
  return withDatabase(settings, async (db) => {
    const r = await db.withSession((s) => migrate(s));
    io.out(`${db.location}: applied ${r.applied.length} migration(s)${r.applied.length ? ` (${r.applied.join(', ')})` : ''}, ${r.alreadyApplied.length} already applied`);
    return ExitCode.ok;
  });
}
