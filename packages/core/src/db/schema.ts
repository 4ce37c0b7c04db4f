import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Count = ColumnType<string | number, number | undefined, number>;

export interface BronzeRunsTable {
  id: Generated<string>;
  source: string;
  streams: ColumnType<string[], string[] | undefined, string[]>;
  status: 'running' | 'succeeded' | 'failed' | 'abandoned';
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  heartbeat_at: Generated<Date>;
  records_seen: Count;
  records_inserted: Count;
  records_unchanged: Count;
  records_new_version: Count;
  records_invalid: Count;
  records_warning: Count;
  files_imported: Count;
  files_skipped: Count;
  files_failed: Count;
  parameters: ColumnType<unknown, string | undefined, string>;
  pipeline_version: string | null;
  environment: string | null;
  host: string | null;
  pid: number | null;
  error: string | null;
  /** `ingest`, or `prune` for `bronze db prune` (sql/006_run_action.sql). */
  action: Generated<'ingest' | 'prune'>;
  /** What the source noted about the run (ctx.note), redacted; written when it finishes (sql/008_run_notes.sql). */
  notes: ColumnType<string[], string[] | undefined, string[]>;
}

export interface BronzeStateTable {
  source: string;
  stream: string;
  cursor: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
  run_id: string | null;
}

export interface BronzeFilesTable {
  id: Generated<string>;
  source: string;
  sha256: string;
  path: string;
  streams: Generated<string[]>;
  size: ColumnType<string | number, number, number>;
  mtime: Timestamp | null;
  compression_type: string | null;
  encoding: string | null;
  status: 'importing' | 'imported' | 'failed' | 'interrupted';
  repeated_ids: Generated<Count>;
  records: Count;
  error: string | null;
  run_id: string | null;
  first_seen_at: Generated<Date>;
  imported_at: Timestamp | null;
}

export interface BronzeMigrationsTable {
  name: string;
  checksum: string;
  applied_at: Generated<Date>;
}

/** The meta tables; bronze_<source> tables are dynamic and queried with sql``. */
export interface MetaSchema {
  bronze_runs: BronzeRunsTable;
  bronze_state: BronzeStateTable;
  bronze_files: BronzeFilesTable;
  bronze_migrations: BronzeMigrationsTable;
}
