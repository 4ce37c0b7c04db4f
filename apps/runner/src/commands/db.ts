import { ConfigError, ExitCode, migrate, type CliIo } from '@bronze/core';
import { parseFlags, withDatabase } from './shared.js';

export async function dbCommand(argv: string[], io: CliIo): Promise<number> {
  const { positionals } = parseFlags(argv, {});
  if (positionals[0] !== 'migrate') throw new ConfigError('usage: bronze db migrate');
  return withDatabase(async (db) => {
    const r = await db.withSession((s) => migrate(s));
    io.out(`${db.location}: applied ${r.applied.length} migration(s)${r.applied.length ? ` (${r.applied.join(', ')})` : ''}, ${r.alreadyApplied.length} already applied`);
    return ExitCode.ok;
  });
}
