import { cliName, countStreamRows, ExitCode, lastFileImportStatus, migrate, readIngestRuns, type BronzeDatabase, type Settings } from '@bronze/core';
import type { CliIo } from './io.js';
import { sources } from '../sources.js';
import { parseFlags, table, withDatabase } from './shared.js';

export interface StreamStatus {
  source: string;
  stream: string | null;
  rows: number;
  invalid: number;
  last_ingested_at: Date | null;
  /** The run's status, but 'incomplete' when it says succeeded and the source's last file import did not finish. */
  last_run_status: string | null;
  /** Status of the source's last file import ('imported', 'interrupted', 'failed'…), null if none. */
  last_file_import: string | null;
  last_run_at: Date | null;
  last_success_at: Date | null;
  freshness_seconds: number | null;
}

/** Rows and health per source and stream; sources never run show one line with 0 rows. */
export async function collectStatus(db: BronzeDatabase): Promise<StreamStatus[]> {
  return db.withSession(async (s) => {
    await migrate(s);
    const out: StreamStatus[] = [];
    for (const source of Object.values(sources)) {
      const runs = await readIngestRuns(s, source.name);
      const file = await lastFileImportStatus(s, source.name);
      // A run whose file import was cut short is not a success, whatever the run row says.
      const incomplete = runs.lastRunStatus === 'succeeded' && file !== null && file !== 'imported';
      const base = {
        source: cliName(source), // what the user types (apple-health), not the table's spelling
        last_run_status: incomplete ? 'incomplete' : runs.lastRunStatus,
        last_file_import: file,
        last_run_at: runs.lastRunAt,
        last_success_at: runs.lastSuccessAt,
        freshness_seconds: runs.lastSuccessAt ? Math.round((Date.now() - runs.lastSuccessAt.getTime()) / 1000) : null,
      };
      const streams = await countStreamRows(s, source.name);
      if (!streams.length) out.push({ ...base, stream: null, rows: 0, invalid: 0, last_ingested_at: null });
      for (const st of streams) out.push({ ...base, stream: st.stream, rows: st.rows, invalid: st.invalid, last_ingested_at: st.lastIngestedAt });
    }
    return out;
  });
}

function ago(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 120) return `${seconds}s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}

/** What `bronze status` prints: a table per source and stream, or one JSON document. */
export function formatStatus(rows: StreamStatus[], db: Pick<BronzeDatabase, 'location' | 'engine'>, json = false): string {
  if (json) return JSON.stringify({ database: db.location, engine: db.engine, streams: rows });
  const when = (d: Date | null) => (d ? `${d.toISOString().slice(0, 19)}Z` : 'never');
  return [
    `database: ${db.location} (${db.engine})`,
    table(
      rows.map((r) => ({
        ...r,
        stream: r.stream ?? '-',
        last_run: r.last_run_status ? `${r.last_run_status} ${when(r.last_run_at)}` : 'never',
        last_success: when(r.last_success_at),
        freshness: ago(r.freshness_seconds),
      })),
      ['source', 'stream', 'rows', 'invalid', 'last_run', 'last_success', 'freshness'],
    ),
  ].join('\n');
}

export async function statusCommand(argv: string[], io: CliIo, settings: Settings): Promise<number> {
  const { values } = parseFlags(argv, { json: { type: 'boolean' } });
  return withDatabase(settings, async (db) => {
    io.out(formatStatus(await collectStatus(db), db, Boolean(values.json)));
    return ExitCode.ok;
  });
}
