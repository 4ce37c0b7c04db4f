import { ConfigError, ExitCode, copyDatabase, redactUrl, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { archiveProgress } from './db-progress.js';
import { importSummary } from './db-import.js';
import { parseFlags, withDatabase } from './shared.js';

/** `bronze db copy --to URL`: the one-step move from the embedded database to a server. */
export async function dbCopyCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { positionals, values } = parseFlags(argv, { to: { type: 'string' }, merge: { type: 'boolean' } });
  if (!values.to || positionals.length) throw new ConfigError('usage: bronze db copy --to postgres://user:pass@host:5432/db [--merge]');
  const exporting = archiveProgress(io, 'exporting');
  const importing = archiveProgress(io, 'importing');
  return withDatabase(settings, async (db) => {
    const r = await copyDatabase(db, values.to as string, {
      merge: Boolean(values.merge),
      onProgress: (phase, p) => (phase === 'export' ? exporting(p) : importing(p)),
    });
    io.out(`copied ${db.location} to ${redactUrl(values.to as string)}: ${importSummary(r)}`);
    io.out('to use it, set DATABASE_URL to that URL in .env; the old database is left as it was');
    return ExitCode.ok;
  });
}
