-- Meta tables shared by every source: runs, cursors and the registry of imported files.
-- These are bookkeeping, not bronze data: they are updated in place.

CREATE TABLE IF NOT EXISTS bronze_runs (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source               text NOT NULL,
  streams              text[] NOT NULL DEFAULT '{}',
  status               text NOT NULL DEFAULT 'running'
                         CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned')),
  started_at           timestamptz NOT NULL DEFAULT now(),
  finished_at          timestamptz,
  heartbeat_at         timestamptz NOT NULL DEFAULT now(),
  records_seen         bigint NOT NULL DEFAULT 0,
  records_inserted     bigint NOT NULL DEFAULT 0,
  records_unchanged    bigint NOT NULL DEFAULT 0,
  records_new_version  bigint NOT NULL DEFAULT 0,
  records_invalid      bigint NOT NULL DEFAULT 0,
  records_warning      bigint NOT NULL DEFAULT 0,
  files_imported       integer NOT NULL DEFAULT 0,
  files_skipped        integer NOT NULL DEFAULT 0,
  files_failed         integer NOT NULL DEFAULT 0,
  parameters           jsonb NOT NULL DEFAULT '{}',
  pipeline_version     text,
  environment          text,
  host                 text,
  pid                  integer,
  error                text
);
CREATE INDEX IF NOT EXISTS bronze_runs_source_started_idx ON bronze_runs (source, started_at DESC);

CREATE TABLE IF NOT EXISTS bronze_state (
  source      text NOT NULL,
  stream      text NOT NULL,
  cursor      jsonb NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  run_id      uuid REFERENCES bronze_runs (id),
  PRIMARY KEY (source, stream)
);

CREATE TABLE IF NOT EXISTS bronze_files (
  source            text NOT NULL,
  sha256            text NOT NULL,
  path              text NOT NULL,
  size              bigint NOT NULL,
  mtime             timestamptz,
  compression_type  text,
  encoding          text,
  status            text NOT NULL CHECK (status IN ('importing', 'imported', 'failed')),
  records           bigint NOT NULL DEFAULT 0,
  error             text,
  run_id            uuid REFERENCES bronze_runs (id),
  first_seen_at     timestamptz NOT NULL DEFAULT now(),
  imported_at       timestamptz,
  PRIMARY KEY (source, sha256)
);
CREATE INDEX IF NOT EXISTS bronze_files_path_idx ON bronze_files (source, path);
