import { cliName, ConfigError, ExitCode, listRuns, migrate, tableName, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { parseFlags, table, withDatabase } from './shared.js';

export async function runsCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { values } = parseFlags(argv, { source: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } });
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ConfigError('--limit must be a positive whole number');
  return withDatabase(settings, async (db) => {
    await db.withSession((s) => migrate(s));
    const rows = (await listRuns(db, { source: values.source ? tableName(values.source) : undefined, limit })).map((r) => ({ ...r, source: cliName(r.source) }));
    if (values.json) io.out(JSON.stringify(rows));
    else if (!rows.length) io.out('no runs yet');
    else {
      // Notes last: a quota stop or progress note is the widest cell and tells why a run stopped early.
      const cells = rows.map((r) => ({
        ...r, seen: r.records_seen, inserted: r.records_inserted, versions: r.records_new_version, unchanged: r.records_unchanged, invalid: r.records_invalid,
        notes: r.notes.join('; '),
      }));
      io.out(table(cells, ['id', 'source', 'action', 'status', 'started_at', 'finished_at', 'seen', 'inserted', 'versions', 'unchanged', 'invalid', 'error', 'notes']));
    }
    return ExitCode.ok;
  });
}
