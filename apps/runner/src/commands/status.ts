import { cliName, ExitCode, migrate, type BronzeDatabase, type Settings } from '@bronze/core';
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
      const [last] = await s.query<{ status: string; started_at: Date }>(
        `SELECT status, started_at FROM bronze_runs WHERE source = $1 AND action = 'ingest' ORDER BY started_at DESC LIMIT 1`, [source.name]);
      const [ok] = await s.query<{ finished_at: Date }>(
        `SELECT finished_at FROM bronze_runs WHERE source = $1 AND action = 'ingest' AND status = 'succeeded' ORDER BY finished_at DESC LIMIT 1`, [source.name]);
      const [file] = await s.query<{ status: string }>('SELECT status FROM bronze_files WHERE source = $1 ORDER BY id DESC LIMIT 1', [source.name]);
      // A run whose file import was cut short is not a success, whatever the run row says.
      const incomplete = last?.status === 'succeeded' && file !== undefined && file.status !== 'imported';
      const base = {
        source: cliName(source), // what the user types (apple-health), not the table's spelling
        last_run_status: incomplete ? 'incomplete' : (last?.status ?? null),
        last_file_import: file?.status ?? null,
        last_run_at: last ? new Date(last.started_at) : null,
        last_success_at: ok ? new Date(ok.finished_at) : null,
        freshness_seconds: ok ? Math.round((Date.now() - new Date(ok.finished_at).getTime()) / 1000) : null,
      };
      const [exists] = await s.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`bronze_${source.name}`]);
      const streams = exists?.t
        ? await s.query<{ stream: string; rows: number; invalid: number; last: Date }>(
            `SELECT stream, count(*)::int AS rows, (count(*) FILTER (WHERE validation_status = 'invalid'))::int AS invalid,
                    max(ingested_at) AS last FROM bronze_${source.name} GROUP BY stream ORDER BY stream`)
        : [];
      if (!streams.length) out.push({ ...base, stream: null, rows: 0, invalid: 0, last_ingested_at: null });
      for (const st of streams) out.push({ ...base, stream: st.stream, rows: st.rows, invalid: st.invalid, last_ingested_at: new Date(st.last) });
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
